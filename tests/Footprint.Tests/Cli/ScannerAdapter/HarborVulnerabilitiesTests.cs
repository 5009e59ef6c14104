using System.Text.Json.Nodes;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Cli.ScannerAdapter;

namespace Footprint.Tests.Cli.ScannerAdapter;

/// <summary>The vulnerabilities section mapped to the spec's HarborVulnerabilityReport (scanner-adapter-openapi-v1.2.yaml).</summary>
public sealed class HarborVulnerabilitiesTests
{
    private static readonly JsonNode Artifact = new JsonObject { ["repository"] = "library/alpine", ["digest"] = "sha256:" + new string('a', 64) };
    private static readonly JsonNode Scanner = new JsonObject { ["name"] = "Footprint" };

    [Fact]
    public void Should_map_each_finding_to_a_vulnerability_item()
    {
        var report = HarborVulnerabilities.Map(Section(true,
            Finding("CVE-2024-1", "high", "fixed", ["1.2-r1", "1.3-r0"]),
            Finding("CVE-2024-2", "negligible", "unfixed", [])), Artifact, Scanner, "2026-12-06T11:00:00.000Z");
        Assert.Equal("High", (string)report["severity"]!);
        Assert.Equal("library/alpine", (string)report["artifact"]!["repository"]!);
        var items = report["vulnerabilities"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("CVE-2024-1", (string)items[0]!["id"]!);
        Assert.Equal("busybox", (string)items[0]!["package"]!);
        Assert.Equal("1.36.1-r29", (string)items[0]!["version"]!);
        Assert.Equal("1.3-r0", (string)items[0]!["fix_version"]!);
        Assert.Equal("High", (string)items[0]!["severity"]!);
        Assert.Null(items[1]!["fix_version"]);
        Assert.Equal("Negligible", (string)items[1]!["severity"]!);
        Assert.Equal("unfixed", (string)items[1]!["vendor_attributes"]!["fix_state"]!);
    }

    [Theory]
    [InlineData(true, "Negligible")]
    [InlineData(false, "Unknown")]
    public void Should_say_unknown_without_findings_only_when_the_release_is_not_covered(bool covered, string severity)
        => Assert.Equal(severity, (string)HarborVulnerabilities.Map(Section(covered), Artifact, Scanner, "t")["severity"]!);

    [Theory]
    [InlineData("critical", "Critical")]
    [InlineData("medium", "Medium")]
    [InlineData("low", "Low")]
    [InlineData("unknown", "Unknown")]
    [InlineData("Critical", "Unknown")]
    public void Should_put_our_severity_on_the_spec_scale(string ours, string theirs) => Assert.Equal(theirs, HarborVulnerabilities.Severity(ours));

    private static VulnerabilityReport Section(bool covered, params VulnerabilityFindingReport[] findings) => new()
    {
        Covered = covered,
        Feeds = [],
        BySeverity = new Dictionary<string, int>(),
        ByStatus = new Dictionary<string, int>(),
        Findings = findings,
    };

    private static VulnerabilityFindingReport Finding(string id, string severity, string fixState, string[] fixes)
        => new(id, [], "busybox", "1.36.1-r29", "apk", "busybox", "1.36.1-r29", "affected", fixState, fixes, severity, "installed below the fix", ["secdb main.json 1"]);
}
