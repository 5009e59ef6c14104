using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// OSV records (ossf.github.io/osv-schema) for the distro ecosystems (<see cref="OsvEcosystem"/>): one statement per
/// <c>affected[]</c> entry. Its <c>ECOSYSTEM</c> ranges are kept; every <c>fixed</c> event is a fixed version; no
/// fixed event means unfixed; a record with only an enumerated <c>versions</c> list keeps each as a one-version
/// range. Aliases are <c>aliases</c> and <c>upstream</c>. A <c>withdrawn</c> record is kept as not affected
/// (<see cref="DistroTriage.Withdrawn"/>). Entries for other ecosystems are counted as skipped.
/// </summary>
public static class OsvImporter
{
    public static FeedBatch Import(FeedNode root, FeedKind kind = FeedKind.OsvJson)
    {
        var advisories = new List<Advisory>();
        var coverage = new HashSet<DistroRelease>();
        var skipped = Read(root, kind, advisories, coverage, out var modified);
        return new FeedBatch(kind, root.File, "osv:" + root.RequiredString("id"), advisories, coverage, modified, skipped);
    }

    /// <summary>Adds one record's statements; returns how many affected entries were skipped (not a distro).</summary>
    internal static int Read(FeedNode root, FeedKind kind, List<Advisory> advisories, HashSet<DistroRelease> coverage, out DateTimeOffset? modified)
    {
        root.ExpectMapping();
        var id = root.RequiredString("id");
        var aliases = root.OptionalStrings("aliases").Concat(root.OptionalStrings("upstream")).Where(a => a != id).Distinct(StringComparer.Ordinal).ToList();
        var published = root.OptionalTimestamp("published");
        modified = root.OptionalTimestamp("modified");
        var withdrawn = root.OptionalTimestamp("withdrawn");
        var severity = Severity(root);
        var skipped = 0;
        foreach (var affected in root.OptionalList("affected"))
        {
            var package = affected.Required("package");
            var ecosystem = package.RequiredString("ecosystem");
            var name = package.RequiredString("name");
            if (OsvEcosystem.ToRelease(ecosystem) is not { } release)
            {
                skipped++;
                continue;
            }

            if (name.Length == 0)
            {
                throw package.Required("name").Error("empty package name");
            }

            coverage.Add(release);
            var origin = new AdvisoryOrigin(kind, root.File, affected.Path, affected.Line);
            if (withdrawn is not null)
            {
                advisories.Add(new Advisory(id, aliases, release, name, FixState.NotAffected, [], [], DistroTriage.Withdrawn,
                    $"withdrawn {withdrawn:yyyy-MM-dd}", severity, published, modified, origin));
                continue;
            }

            advisories.Add(Statement(id, aliases, release, name, affected, severity, published, modified, origin));
        }

        return skipped;
    }

    private static Advisory Statement(string id, List<string> aliases, DistroRelease release, string name, FeedNode affected, AdvisorySeverity? severity,
        DateTimeOffset? published, DateTimeOffset? modified, AdvisoryOrigin origin)
    {
        var ranges = new List<AffectedRange>();
        foreach (var range in affected.OptionalList("ranges"))
        {
            if (range.RequiredString("type") != "ECOSYSTEM")
            {
                continue;
            }

            string? introduced = null;
            var open = false;
            foreach (var e in range.OptionalList("events"))
            {
                var entries = e.ExpectMapping().Entries().ToList();
                if (entries.Count != 1)
                {
                    throw e.Error("an event has exactly one of introduced, fixed, last_affected, limit");
                }

                var (key, value) = entries[0];
                var version = value.ExpectString();
                switch (key)
                {
                    case "introduced":
                        if (open)
                        {
                            ranges.Add(Range(release, introduced, null, null));
                        }

                        introduced = version;
                        open = true;
                        break;
                    case "fixed":
                        ranges.Add(Range(release, introduced, version, null));
                        open = false;
                        break;
                    case "last_affected":
                        ranges.Add(Range(release, introduced, null, version));
                        open = false;
                        break;
                    case "limit":
                        break;
                    default:
                        throw value.Error($"unknown range event '{FeedNode.Clip(key)}'");
                }
            }

            if (open)
            {
                ranges.Add(Range(release, introduced, null, null));
            }
        }

        if (ranges.Count == 0)
        {
            ranges.AddRange(affected.OptionalStrings("versions").Select(v => Range(release, v, null, v)));
        }

        var fixedVersions = ranges.Where(r => r.Fixed is not null).Select(r => r.Fixed!).Distinct(StringComparer.Ordinal).ToList();
        var invalid = ranges.FirstOrDefault(r => !r.Valid);
        var (state, note) = invalid is not null ? (FixState.Unknown, "a range holds a version that is not valid " + release.Scheme.ToString().ToLowerInvariant())
            : ranges.Count == 0 ? (FixState.Unknown, "no ECOSYSTEM range and no versions")
            : fixedVersions.Count > 0 ? (FixState.Fixed, (string?)null)
            : (FixState.Unfixed, null);
        return new Advisory(id, aliases, release, name, state, fixedVersions, ranges, DistroTriage.None, note, severity, published, modified, origin);
    }

    private static AffectedRange Range(DistroRelease release, string? introduced, string? fixedVersion, string? lastAffected)
    {
        bool Ok(string? v) => v is null || v == "0" || VersionSyntax.IsValid(release.Scheme, v);
        return new AffectedRange(introduced, fixedVersion, lastAffected, Ok(introduced) && Ok(fixedVersion) && Ok(lastAffected));
    }

    /// <summary>A distro rating (Ubuntu priority) when present, else the first CVSS vector, kept raw.</summary>
    private static AdvisorySeverity? Severity(FeedNode root)
    {
        AdvisorySeverity? vector = null;
        foreach (var s in root.OptionalList("severity"))
        {
            var type = s.RequiredString("type");
            var score = s.RequiredString("score");
            if (type == "Ubuntu")
            {
                var level = score.ToLowerInvariant() switch
                {
                    "negligible" => SeverityLevel.Negligible,
                    "low" => SeverityLevel.Low,
                    "medium" => SeverityLevel.Medium,
                    "high" => SeverityLevel.High,
                    "critical" => SeverityLevel.Critical,
                    _ => SeverityLevel.Unknown,
                };
                return new AdvisorySeverity(level, "ubuntu-priority", score);
            }

            vector ??= new AdvisorySeverity(SeverityLevel.Unknown, type, score);
        }

        return vector;
    }
}
