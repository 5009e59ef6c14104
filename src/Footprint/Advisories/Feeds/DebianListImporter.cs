using System.Globalization;
using System.Text.RegularExpressions;
using Footprint.Advisories.Model;
using Footprint.Formats;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// The Debian security tracker's data/DSA/list and data/DLA/list:
/// <code>
/// [25 Aug 2022] DSA-5218-1 zlib - security update
///     {CVE-2022-37434}
///     [bullseye] - zlib 1:1.2.11.dfsg-2+deb11u2
///     [buster] - foo &lt;not-affected&gt; (Vulnerable code not present)
///     NOTE: ...
/// </code>
/// One record per (advisory, release, source package). A version is the fix; <c>&lt;not-affected&gt;</c>,
/// <c>&lt;no-dsa&gt;</c>, <c>&lt;ignored&gt;</c>, <c>&lt;postponed&gt;</c>, <c>&lt;end-of-life&gt;</c> and
/// <c>&lt;unfixed&gt;</c> keep their own <see cref="DistroTriage"/>. A line of any other shape is an error naming its line.
/// </summary>
public static partial class DebianListImporter
{
    public static bool LooksLikeList(ReadOnlySpan<char> head) => Header().IsMatch(head.ToString().Split('\n', 2)[0].TrimEnd('\r'));

    public static FeedBatch Import(string text, string file)
    {
        var advisories = new List<Advisory>();
        var coverage = new HashSet<DistroRelease>();
        FeedKind? kind = null;
        string? id = null;
        DateTimeOffset? date = null;
        DateTimeOffset? newest = null;
        List<string> aliases = [];
        long lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var header = Header().Match(line);
            if (header.Success)
            {
                var thisKind = header.Groups["kind"].Value == "DSA" ? FeedKind.DebianDsaList : FeedKind.DebianDlaList;
                kind ??= thisKind;
                id = header.Groups["id"].Value;
                if (!DateTime.TryParseExact(header.Groups["date"].Value, "d MMM yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                {
                    throw new FootprintFormatException(file, null, $"line {lineNumber}: not a date: '{FeedNode.Clip(header.Groups["date"].Value)}'");
                }

                date = new DateTimeOffset(d, TimeSpan.Zero);
                newest = newest is null || date > newest ? date : newest;
                aliases = [];
                continue;
            }

            if (id is null)
            {
                throw new FootprintFormatException(file, null, $"line {lineNumber}: expected '[DD Mon YYYY] DSA-NNNN-N package - title', found '{FeedNode.Clip(line.Trim())}'");
            }

            var ids = Ids().Match(line);
            if (ids.Success)
            {
                aliases = ids.Groups["ids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
                continue;
            }

            if (Note().IsMatch(line))
            {
                continue;
            }

            var fix = Fix().Match(line);
            if (!fix.Success)
            {
                throw new FootprintFormatException(file, null, $"line {lineNumber}: expected '[release] - package version', '{{CVE-...}}' or 'NOTE:', found '{FeedNode.Clip(line.Trim())}'");
            }

            var release = DistroRelease.Create("debian", fix.Groups["release"].Value);
            coverage.Add(release);
            var package = fix.Groups["package"].Value;
            var version = fix.Groups["version"].Success ? fix.Groups["version"].Value : null;
            var notes = fix.Groups["notes"].Success ? fix.Groups["notes"].Value.Trim() : null;
            var origin = new AdvisoryOrigin(kind!.Value, file, $"{id}/[{fix.Groups["release"].Value}] {package}", lineNumber);
            var severity = Urgency(notes);
            advisories.Add(version switch
            {
                null => new Advisory(id, aliases, release, package, FixState.Unknown, [], [], DistroTriage.None, "no version or state given", severity, date, null, origin),
                "<not-affected>" => Tagged(FixState.NotAffected, DistroTriage.NotAffected),
                "<no-dsa>" => Tagged(FixState.Unfixed, DistroTriage.NoDsa),
                "<ignored>" => Tagged(FixState.WontFix, DistroTriage.Ignored),
                "<postponed>" => Tagged(FixState.Unfixed, DistroTriage.Postponed),
                "<end-of-life>" => Tagged(FixState.EndOfLife, DistroTriage.EndOfLife),
                "<unfixed>" => Tagged(FixState.Unfixed, DistroTriage.Open),
                _ when version.StartsWith('<') => new Advisory(id, aliases, release, package, FixState.Unknown, [], [], DistroTriage.None,
                    $"unknown state {FeedNode.Clip(version)}", severity, date, null, origin),
                _ => Statements.FromFixedVersions(id, aliases, release, package, [version], DistroTriage.None, notes, severity, date, null, origin),
            });

            Advisory Tagged(FixState state, DistroTriage triage) => new(id, aliases, release, package, state, [], [], triage, notes, severity, date, null, origin);
        }

        if (kind is null)
        {
            throw new FootprintFormatException(file, null, "no DSA or DLA entry");
        }

        var key = kind == FeedKind.DebianDsaList ? "debian-dsa" : "debian-dla";
        return new FeedBatch(kind.Value, file, key, advisories, coverage, newest, 0);
    }

    /// <summary>The urgency a list note may carry: "(bug #322591; medium)".</summary>
    private static AdvisorySeverity? Urgency(string? notes)
    {
        if (notes is null)
        {
            return null;
        }

        foreach (var part in notes.Split(';', StringSplitOptions.TrimEntries))
        {
            var level = DebianTrackerImporter.UrgencyLevel(part);
            if (level is not null)
            {
                return new AdvisorySeverity(level.Value, "debian-urgency", part);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\[(?<date>\d{1,2} [A-Z][a-z]{2} \d{4})\] (?<id>(?<kind>DSA|DLA)-[0-9][0-9-]*)(\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s+\{(?<ids>[^{}]*)\}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Ids();

    [GeneratedRegex(@"^\s+NOTE:", RegexOptions.CultureInvariant)]
    private static partial Regex Note();

    [GeneratedRegex(@"^\s+\[(?<release>[a-z][a-z0-9-]*)\]\s+-\s+(?<package>[a-z0-9][a-z0-9+.-]*)(\s+(?<version>[^\s(]+))?(\s+\((?<notes>.*)\))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Fix();
}
