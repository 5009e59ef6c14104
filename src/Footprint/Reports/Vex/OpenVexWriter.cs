using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Reports.Sbom;

namespace Footprint.Reports.Vex;

/// <summary>
/// The findings as an OpenVEX 0.2.0 document (github.com/openvex/spec): one statement per (vulnerability, package),
/// the product being the package's purl. "affected" (with an action statement) when the version is affected;
/// "under_investigation" when the status is unknown or the fix ambiguous; "not_affected" with the justification
/// "vulnerable_code_not_in_execute_path" only when no entrypoint loads the package and the caller asked for that claim
/// (<see cref="SbomOptions.ClaimNotReachable"/>). The document id is derived from its statements, so equal reports give
/// equal bytes.
/// </summary>
public static class OpenVexWriter
{
    public const string Context = "https://openvex.dev/ns/v0.2.0";

    public static void Write(Report report, Stream output, SbomOptions options)
    {
        var statements = report.Artifacts.SelectMany(a => (a.Vulnerabilities?.Findings ?? []).Select(f => (Artifact: a, Finding: f))).ToList();
        var identity = string.Join('\n', statements.Select(s => $"{s.Artifact.Input} {s.Finding.Id} {s.Finding.Ecosystem} {s.Finding.Package} {s.Finding.Version}"));
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = Json.ReadableJsonEncoder.Instance });
        json.WriteStartObject();
        json.WriteString("@context", Context);
        json.WriteString("@id", "https://openvex.dev/docs/footprint/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32]);
        json.WriteString("author", "footprint " + options.ToolVersion);
        json.WriteString("timestamp", options.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteNumber("version", 1);
        json.WriteString("tooling", "footprint " + options.ToolVersion);
        json.WriteStartArray("statements");
        foreach (var (artifact, f) in statements)
        {
            var purl = artifact.Inventory?.Packages.FirstOrDefault(p => p.Ecosystem == f.Ecosystem && p.Name == f.Package && p.Version == f.Version)?.Purl
                ?? $"pkg:generic/{Uri.EscapeDataString(f.Package)}@{Uri.EscapeDataString(f.Version)}";
            var (status, justification, impact) = Status(f, options.ClaimNotReachable);
            json.WriteStartObject();
            json.WriteStartObject("vulnerability");
            json.WriteString("name", f.Id);
            if (f.Aliases.Count > 0)
            {
                json.WriteStartArray("aliases");
                foreach (var alias in f.Aliases)
                {
                    json.WriteStringValue(alias);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartArray("products");
            json.WriteStartObject();
            json.WriteString("@id", purl);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("status", status);
            if (impact is not null)
            {
                if (justification is not null)
                {
                    json.WriteString("justification", justification);
                }

                json.WriteString("impact_statement", impact);
            }
            else if (status == "affected")
            {
                json.WriteString("action_statement", f.FixedVersions.Count > 0
                    ? $"Upgrade {f.SourcePackage} to {f.FixedVersions[0]} or later"
                    : $"No fix is released ({f.FixState}); remove {f.Package} if the image does not need it");
            }
            else
            {
                json.WriteString("status_notes", f.Reason + (f.Reachability is { } r ? $"; reachability: {r}" : string.Empty));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static (string Status, string? Justification, string? Impact) Status(VulnerabilityFindingReport f, bool claimNotReachable)
    {
        if (f.Vex is { Suppressed: true } vex)
        {
            // What the user's VEX or ignore file said, carried through; OpenVEX wants a justification or an impact statement for not_affected.
            var impact = $"{vex.Status} per {vex.Source}" + (vex.Detail is { } d ? ": " + d : string.Empty);
            return vex.Status is "fixed" or "resolved" or "resolved_with_pedigree"
                ? ("fixed", null, null)
                : ("not_affected", OpenVexJustification(vex.Justification), impact);
        }

        if (f.Status != "affected")
        {
            return ("under_investigation", null, null);
        }

        return f.Reachability switch
        {
            "present-not-loaded" when claimNotReachable => ("not_affected", "vulnerable_code_not_in_execute_path",
                "No entrypoint loads " + f.Package + " at start-up: " + string.Join("; ", (f.ReachedBy ?? []).Select(r => r.Entrypoint))),
            _ => ("affected", null, null),
        };
    }

    /// <summary>An OpenVEX justification for a VEX input's own (OpenVEX's, or CycloneDX's where the meaning is the same), else null.</summary>
    private static string? OpenVexJustification(string? justification) => justification switch
    {
        "component_not_present" or "vulnerable_code_not_present" or "vulnerable_code_not_in_execute_path"
            or "vulnerable_code_cannot_be_controlled_by_adversary" or "inline_mitigations_already_exist" => justification,
        "code_not_present" => "vulnerable_code_not_present",
        "code_not_reachable" => "vulnerable_code_not_in_execute_path",
        _ => null,
    };
}
