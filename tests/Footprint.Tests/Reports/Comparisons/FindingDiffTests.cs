using Footprint.Analyzers.Vulnerabilities;
using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class FindingDiffTests
{
    private static VulnerabilityFindingReport Finding(string id, string package, string version, FindingVexReport? vex = null)
        => new(id, [], package, version, "apk", package, version, "affected", "fixed", [], "high", "test", [], Vex: vex);

    private static VulnerabilityReport Report(params VulnerabilityFindingReport[] findings)
        => new() { Covered = true, Feeds = [], BySeverity = new Dictionary<string, int>(), ByStatus = new Dictionary<string, int>(), Findings = findings };

    [Fact]
    public void Should_match_findings_by_id_and_package_across_versions()
    {
        var old = Report(Finding("CVE-1", "musl", "1.1.18-r3"), Finding("CVE-2", "musl", "1.1.18-r3"), Finding("CVE-2", "musl-utils", "1.1.18-r3"));
        var @new = Report(Finding("CVE-2", "musl", "1.1.19-r11"), Finding("CVE-3", "zlib", "1.2.11-r1"));
        Assert.Equal(["fixed CVE-1 musl 1.1.18-r3", "fixed CVE-2 musl-utils 1.1.18-r3", "introduced CVE-3 zlib 1.2.11-r1"],
            FindingDiff.Of(old, @new).Select(c => $"{c.Change} {c.Id} {c.Package} {c.Version}"));
    }
}
