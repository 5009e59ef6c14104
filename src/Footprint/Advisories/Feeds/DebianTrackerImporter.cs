using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// The Debian security tracker JSON (security-tracker.debian.org/tracker/data/json):
/// <c>{ SOURCE: { CVE: { "releases": { CODENAME: { "status", "fixed_version", "urgency", "nodsa", "nodsa_reason" } } } } }</c>.
/// <c>resolved</c> with fixed version 0 is not affected; <c>open</c> is unfixed, qualified by <c>nodsa</c> (no-dsa,
/// <c>nodsa_reason</c> ignored or postponed) or urgency <c>end-of-life</c>; <c>undetermined</c> is unknown.
/// An empty <c>"releases": []</c> (the tracker writes it for an entry without releases) is accepted as none.
/// </summary>
public static class DebianTrackerImporter
{
    public const string Key = "debian-tracker";

    public static FeedBatch Import(FeedNode root)
    {
        var advisories = new List<Advisory>();
        var coverage = new HashSet<DistroRelease>();
        foreach (var (package, cves) in root.ExpectMapping().Entries())
        {
            foreach (var (cve, entry) in cves.ExpectMapping().Entries())
            {
                var releases = entry.Required("releases");
                if (releases.Kind == FeedNodeKind.Sequence && !releases.Items().Any())
                {
                    continue;
                }

                foreach (var (codename, status) in releases.ExpectMapping().Entries())
                {
                    var release = DistroRelease.Create("debian", codename);
                    coverage.Add(release);
                    advisories.Add(Statement(package, cve, release, status));
                }
            }
        }

        return new FeedBatch(FeedKind.DebianTrackerJson, root.File, Key, advisories, coverage, null, 0);
    }

    private static Advisory Statement(string package, string cve, DistroRelease release, FeedNode node)
    {
        var origin = new AdvisoryOrigin(FeedKind.DebianTrackerJson, node.File, node.Path, node.Line);
        var status = node.RequiredString("status");
        var urgency = node.OptionalString("urgency");
        var level = urgency is null ? null : UrgencyLevel(urgency);
        var severity = level is null ? null : new AdvisorySeverity(level.Value, "debian-urgency", urgency!);
        var nodsa = node.OptionalString("nodsa");
        var reason = node.OptionalString("nodsa_reason");
        switch (status)
        {
            case "resolved":
                var fixedVersion = node.RequiredString("fixed_version");
                return Statements.FromFixedVersions(cve, [], release, package, [fixedVersion], DistroTriage.None, null, severity, null, null, origin);
            case "open":
                var (state, triage) = urgency == "end-of-life" ? (FixState.EndOfLife, DistroTriage.EndOfLife)
                    : nodsa is not null && reason == "ignored" ? (FixState.WontFix, DistroTriage.Ignored)
                    : nodsa is not null && reason == "postponed" ? (FixState.Unfixed, DistroTriage.Postponed)
                    : nodsa is not null ? (FixState.Unfixed, DistroTriage.NoDsa)
                    : level == SeverityLevel.Negligible ? (FixState.Unfixed, DistroTriage.Unimportant)
                    : (FixState.Unfixed, DistroTriage.Open);
                return new Advisory(cve, [], release, package, state, [], [], triage, string.IsNullOrEmpty(nodsa) ? null : nodsa, severity, null, null, origin);
            case "undetermined":
                return new Advisory(cve, [], release, package, FixState.Unknown, [], [], DistroTriage.None, "undetermined", severity, null, null, origin);
            default:
                return new Advisory(cve, [], release, package, FixState.Unknown, [], [], DistroTriage.None, $"unknown status '{FeedNode.Clip(status)}'", severity, null, null, origin);
        }
    }

    /// <summary>Debian urgencies (unimportant, low, medium, high; a trailing * or ** marks it as guessed); null for other words.</summary>
    public static SeverityLevel? UrgencyLevel(string urgency) => urgency.TrimEnd('*') switch
    {
        "unimportant" => SeverityLevel.Negligible,
        "low" => SeverityLevel.Low,
        "medium" => SeverityLevel.Medium,
        "high" => SeverityLevel.High,
        "not yet assigned" => SeverityLevel.Unknown,
        _ => null,
    };
}
