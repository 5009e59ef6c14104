using System.Text.Json.Nodes;
using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Our report's `vulnerabilities` section as the spec's HarborVulnerabilityReport
/// (`application/vnd.security.vulnerability.report; version=1.1`): one VulnerabilityItem per finding, the severity
/// capitalised to the spec's scale, the highest fixed version as fix_version when a fix exists, and what the spec has
/// no field for (status, fix state, source package, evidence) under vendor_attributes.
/// </summary>
internal static class HarborVulnerabilities
{
    private static readonly string[] Scale = ["Unknown", "Negligible", "Low", "Medium", "High", "Critical"];

    public static JsonObject Map(VulnerabilityReport section, JsonNode artifact, JsonNode scanner, string generatedAt)
    {
        var items = new JsonArray();
        var highest = -1;
        foreach (var f in section.Findings)
        {
            var severity = Severity(f.Severity);
            highest = Math.Max(highest, Array.IndexOf(Scale, severity));
            var item = new JsonObject
            {
                ["id"] = f.Id,
                ["package"] = f.Package,
                ["version"] = f.Version,
            };
            if (f.FixState == "fixed" && f.FixedVersions.Count > 0)
            {
                item["fix_version"] = f.FixedVersions[^1];
            }

            item["severity"] = severity;
            item["description"] = f.Reason;
            item["links"] = new JsonArray();
            item["vendor_attributes"] = new JsonObject
            {
                ["status"] = f.Status,
                ["fix_state"] = f.FixState,
                ["ecosystem"] = f.Ecosystem,
                ["source_package"] = f.SourcePackage,
                ["source_version"] = f.SourceVersion,
                ["aliases"] = new JsonArray([.. f.Aliases.Select(a => (JsonNode)a)]),
                ["evidence"] = new JsonArray([.. f.Evidence.Select(e => (JsonNode)e)]),
            };
            items.Add((JsonNode)item); // the JsonNode overload: Add<T> needs reflection (no native AOT)
        }

        return new JsonObject
        {
            ["generated_at"] = generatedAt,
            ["artifact"] = artifact.DeepClone(),
            ["scanner"] = scanner.DeepClone(),
            // No finding: "Unknown" when the release is not covered (nothing is known), else the lowest of the scale.
            ["severity"] = highest >= 0 ? Scale[highest] : section.Covered ? "Negligible" : "Unknown",
            ["vulnerabilities"] = items,
        };
    }

    /// <summary>Our lower-case severity on the spec's scale (Unknown, Negligible, Low, Medium, High, Critical).</summary>
    public static string Severity(string ours) => ours switch
    {
        "critical" => "Critical",
        "high" => "High",
        "medium" => "Medium",
        "low" => "Low",
        "negligible" => "Negligible",
        _ => "Unknown",
    };
}
