using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Reports.Comparisons;

/// <summary>Findings fixed and introduced, matched by (vulnerability id, ecosystem, package name).</summary>
public static class FindingDiff
{
    /// <summary>Suppressed findings (VEX, ignore list) are left out on both sides, as they are of the counts.</summary>
    public static IReadOnlyList<FindingChange> Of(VulnerabilityReport old, VulnerabilityReport @new)
    {
        var before = Index(old);
        var after = Index(@new);
        return after.Where(kv => !before.ContainsKey(kv.Key)).Select(kv => Change(kv.Value, "introduced"))
            .Concat(before.Where(kv => !after.ContainsKey(kv.Key)).Select(kv => Change(kv.Value, "fixed")))
            .OrderBy(c => c.Change, StringComparer.Ordinal).ThenBy(c => c.Package, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static FindingChange Change(VulnerabilityFindingReport f, string change) => new(f.Id, f.Package, f.Ecosystem, change, f.Version, f.Severity, f.Status);

    private static Dictionary<(string, string, string), VulnerabilityFindingReport> Index(VulnerabilityReport report)
    {
        var index = new Dictionary<(string, string, string), VulnerabilityFindingReport>();
        foreach (var f in report.Findings.Where(f => f.Vex is null))
        {
            index.TryAdd((f.Id, f.Ecosystem, f.Package), f);
        }

        return index;
    }
}
