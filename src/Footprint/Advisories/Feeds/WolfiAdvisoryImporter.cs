using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// Wolfi and Chainguard advisory documents (wolfi-dev/advisories PACKAGE.advisories.yaml, schema 2):
/// <c>package.name</c>, and per advisory an <c>id</c> (CGA-...), <c>aliases</c> (CVE, GHSA) and timestamped
/// <c>events</c>. The latest event decides: <c>fixed</c> (its <c>fixed-version</c>; 0 is not affected),
/// <c>false-positive-determination</c> (not affected, its reason kept), <c>true-positive-determination</c> and
/// <c>pending-upstream-fix</c> (unfixed), <c>fix-not-planned</c> (won't fix), <c>analysis-not-planned</c> and
/// <c>detection</c> (unknown: nobody has triaged it). An event type this code does not know is Unknown, not an error.
/// The documents do not say which distro they are for: the caller names it (wolfi by default).
/// </summary>
public static class WolfiAdvisoryImporter
{
    public static FeedBatch Import(FeedNode root, string distro = "wolfi")
    {
        var release = DistroRelease.Create(distro, DistroRelease.Rolling);
        var package = root.Required("package").RequiredString("name");
        if (package.Length == 0)
        {
            throw root.Required("package").Required("name").Error("empty package name");
        }

        var advisories = new List<Advisory>();
        DateTimeOffset? newest = null;
        foreach (var advisory in root.OptionalList("advisories"))
        {
            var id = advisory.RequiredString("id");
            var aliases = advisory.OptionalStrings("aliases").Where(a => a != id).Distinct(StringComparer.Ordinal).ToList();
            FeedNode? latest = null;
            DateTimeOffset? latestTime = null;
            DateTimeOffset? first = null;
            foreach (var e in advisory.OptionalList("events"))
            {
                var time = e.OptionalTimestamp("timestamp");
                e.RequiredString("type");
                if (latest is null || time is null || latestTime is null || time >= latestTime)
                {
                    latest = e;
                    latestTime = time ?? latestTime;
                }

                first = first is null || time < first ? time ?? first : first;
            }

            newest = latestTime is not null && (newest is null || latestTime > newest) ? latestTime : newest;
            var origin = new AdvisoryOrigin(FeedKind.WolfiAdvisoryYaml, root.File, (latest ?? advisory).Path, (latest ?? advisory).Line);
            if (latest is null)
            {
                advisories.Add(new Advisory(id, aliases, release, package, FixState.Unknown, [], [], DistroTriage.None, "no events", null, null, null, origin));
                continue;
            }

            advisories.Add(FromEvent(id, aliases, release, package, latest, first, latestTime, origin));
        }

        return new FeedBatch(FeedKind.WolfiAdvisoryYaml, root.File, $"{distro}-advisories:{package}", advisories, new HashSet<DistroRelease> { release }, newest, 0);
    }

    private static Advisory FromEvent(string id, List<string> aliases, DistroRelease release, string package, FeedNode e, DateTimeOffset? first, DateTimeOffset? time, AdvisoryOrigin origin)
    {
        var type = e.RequiredString("type");
        var data = e.ExpectMapping().Get("data");
        var hasData = data is not null && data.Kind == FeedNodeKind.Mapping;
        string? DataString(string key) => hasData ? data!.OptionalString(key) : null;
        Advisory Make(FixState state, DistroTriage triage, string? note) => new(id, aliases, release, package, state, [], [], triage, note, null, first, time, origin);
        switch (type)
        {
            case "fixed":
                var version = DataString("fixed-version");
                return version is null
                    ? Make(FixState.Unknown, DistroTriage.None, "fixed event without fixed-version")
                    : Statements.FromFixedVersions(id, aliases, release, package, [version], DistroTriage.None, null, null, first, time, origin);
            case "false-positive-determination":
                return Make(FixState.NotAffected, DistroTriage.FalsePositive, DataString("type"));
            case "true-positive-determination":
                return Make(FixState.Unfixed, DistroTriage.TruePositive, DataString("note"));
            case "pending-upstream-fix":
                return Make(FixState.Unfixed, DistroTriage.PendingUpstreamFix, DataString("note"));
            case "fix-not-planned":
                return Make(FixState.WontFix, DistroTriage.FixNotPlanned, DataString("note"));
            case "analysis-not-planned":
                return Make(FixState.Unknown, DistroTriage.AnalysisNotPlanned, DataString("note"));
            case "detection":
                return Make(FixState.Unknown, DistroTriage.UnderInvestigation, null);
            default:
                return Make(FixState.Unknown, DistroTriage.None, $"unknown event type '{FeedNode.Clip(type)}'");
        }
    }
}
