using System.Text.Json;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Measures.Inventory;

namespace Footprint.Reports.CycloneDx;

/// <summary>
/// The BOM's `vulnerabilities[]` (CycloneDX 1.6) from the report's vulnerabilities section: one entry per finding,
/// affecting the package's component by its bom-ref, with an `analysis` from what the entrypoints load: "exploitable"
/// when loaded, "in_triage" when unknown or when the version or fix is ambiguous, and "not_affected" with
/// "code_not_reachable" only when nothing loads the package and the caller asked for that claim.
/// </summary>
internal static class CycloneDxVulnerabilities
{
    public static void Write(Utf8JsonWriter json, VulnerabilityReport vulnerabilities, IReadOnlyList<PackageReport> packages, IReadOnlyList<string> packageRefs,
        bool claimNotReachable)
    {
        json.WriteStartArray("vulnerabilities");
        foreach (var f in vulnerabilities.Findings)
        {
            var index = Index(packages, f);
            json.WriteStartObject();
            json.WriteString("bom-ref", $"vuln:{f.Id}:{f.Ecosystem}:{f.Package}@{f.Version}");
            json.WriteString("id", f.Id);
            if (f.Evidence.Count > 0)
            {
                json.WriteStartObject("source");
                json.WriteString("name", f.Evidence[0].Split(' ')[0]);
                json.WriteEndObject();
            }

            json.WriteStartArray("ratings");
            json.WriteStartObject();
            json.WriteString("severity", f.Severity == "negligible" ? "none" : f.Severity);
            json.WriteString("method", "other");
            json.WriteEndObject();
            json.WriteEndArray();
            if (f.Aliases.Count > 0)
            {
                json.WriteStartArray("references");
                foreach (var alias in f.Aliases)
                {
                    json.WriteStartObject();
                    json.WriteString("id", alias);
                    json.WriteStartObject("source");
                    json.WriteString("name", alias.Split('-')[0]);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteString("detail", f.Reason);
            if (f.FixedVersions.Count > 0)
            {
                json.WriteString("recommendation", "Upgrade " + f.SourcePackage + " to " + f.FixedVersions[0] + " or later");
            }

            var (state, justification) = Analysis(f, claimNotReachable);
            json.WriteStartObject("analysis");
            json.WriteString("state", state);
            if (justification is not null)
            {
                json.WriteString("justification", justification);
            }

            json.WriteString("detail", f.ReachedBy is { Count: > 0 } reach
                ? string.Join("; ", reach.Select(r => $"{r.Entrypoint}: {r.Class}" + (r.Evidence.Count > 0 ? " (" + string.Join(" -> ", r.Evidence) + ")" : string.Empty)))
                : $"status {f.Status}, fix {f.FixState}");
            json.WriteEndObject();

            json.WriteStartArray("affects");
            json.WriteStartObject();
            json.WriteString("ref", index >= 0 ? packageRefs[index] : $"{f.Ecosystem}:{f.Package}@{f.Version}");
            json.WriteStartArray("versions");
            json.WriteStartObject();
            json.WriteString("version", f.Version);
            json.WriteString("status", f.Status == "affected" ? "affected" : "unknown");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>CycloneDX's impact analysis for a finding (see the class summary).</summary>
    public static (string State, string? Justification) Analysis(VulnerabilityFindingReport f, bool claimNotReachable)
    {
        // A finding the user's VEX suppressed keeps the state that VEX gave (an ignore-list line states nothing CycloneDX has a word for).
        switch (f.Vex)
        {
            case { Suppressed: true, Status: "not_affected" or "false_positive" or "resolved" or "resolved_with_pedigree" } vex:
                return (vex.Status, CycloneDxJustification(vex.Justification));
            case { Suppressed: true, Status: "fixed" }:
                return ("resolved", null);
        }

        if (f.Status != "affected" || f.Reachability is "unknown" or "no-entrypoint" or null)
        {
            return ("in_triage", null);
        }

        return f.Reachability switch
        {
            "loaded" => ("exploitable", null),
            _ => claimNotReachable ? ("not_affected", "code_not_reachable") : ("in_triage", null),
        };
    }

    /// <summary>A CycloneDX justification for a VEX input's own (CycloneDX's, or OpenVEX's where the meaning is the same), else null.</summary>
    private static string? CycloneDxJustification(string? justification) => justification switch
    {
        "code_not_present" or "code_not_reachable" or "requires_configuration" or "requires_dependency" or "requires_environment"
            or "protected_by_compiler" or "protected_at_runtime" or "protected_at_perimeter" or "protected_by_mitigating_control" => justification,
        "vulnerable_code_not_present" or "component_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        _ => null,
    };

    private static int Index(IReadOnlyList<PackageReport> packages, VulnerabilityFindingReport f)
    {
        for (var i = 0; i < packages.Count; i++)
        {
            if (packages[i].Ecosystem == f.Ecosystem && packages[i].Name == f.Package && packages[i].Version == f.Version)
            {
                return i;
            }
        }

        return -1;
    }
}
