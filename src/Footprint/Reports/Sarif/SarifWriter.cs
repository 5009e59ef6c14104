using System.Globalization;
using System.Text;
using System.Text.Json;
using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Reports.Sarif;

/// <summary>
/// Vulnerability findings as a SARIF 2.1.0 log (docs.oasis-open.org/sarif/sarif/v2.1.0), the format code-scanning
/// dashboards read: one run, one rule per vulnerability id, one result per (vulnerability, binary package), located
/// at the package database that records the package. Levels: critical and high are "error", medium "warning", the
/// rest "note"; the CVSS-style `security-severity` property GitHub sorts by is given per rule. Written with
/// <see cref="Utf8JsonWriter"/>; equal reports give equal bytes.
/// </summary>
public static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static void Write(Report report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = Json.ReadableJsonEncoder.Instance });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        foreach (var artifact in report.Artifacts)
        {
            WriteRun(json, report.Tool, artifact);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string ToJson(Report report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRun(Utf8JsonWriter json, ToolInfo tool, ArtifactReport artifact)
    {
        var findings = artifact.Vulnerabilities?.Findings ?? [];
        var rules = findings.GroupBy(f => f.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        json.WriteStartObject();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", tool.Name);
        json.WriteString("version", tool.Version);
        json.WriteString("informationUri", "https://github.com/footprint/footprint/blob/main/docs/vulnerabilities.md");
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            var worst = rule.Select(f => f.Severity).OrderByDescending(Rank).First();
            json.WriteStartObject();
            json.WriteString("id", rule.Key);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", $"{rule.Key} ({worst})");
            json.WriteEndObject();
            if (AdvisoryLinks.Global(rule.Key) is { } help)
            {
                json.WriteString("helpUri", help);
            }

            json.WriteStartObject("properties");
            json.WriteString("security-severity", SecuritySeverity(worst));
            json.WriteStartArray("tags");
            json.WriteStringValue("security");
            json.WriteStringValue("vulnerability");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.Id);
            json.WriteNumber("ruleIndex", rules.FindIndex(r => r.Key == f.Id));
            json.WriteString("level", Level(f.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", $"{f.Package} {f.Version} ({f.Ecosystem}, source {f.SourcePackage} {f.SourceVersion}): {f.Id} {f.Status}, fix {f.FixState}"
                + (f.FixedVersions.Count > 0 ? " in " + string.Join(", ", f.FixedVersions) : string.Empty) + ". " + f.Reason);
            json.WriteEndObject();
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", DatabaseOf(artifact, f));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", f.Package);
            json.WriteString("fullyQualifiedName", $"{f.Ecosystem}:{f.Package}@{f.Version}");
            json.WriteString("kind", "package");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            if (f.Vex is { Suppressed: true } vex)
            {
                // SARIF 2.1.0 §3.27.23 and §3.35: an external suppression the user accepted, so dashboards hide it too.
                json.WriteStartArray("suppressions");
                json.WriteStartObject();
                json.WriteString("kind", "external");
                json.WriteString("status", "accepted");
                json.WriteString("justification", $"{vex.Status}" + (vex.Justification is { } j ? $" ({j})" : string.Empty)
                    + (vex.Detail is { } d ? $": {d}" : string.Empty) + $" [{vex.Source}]");
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("partialFingerprints");
            json.WriteString("footprint/v1", $"{f.Id}|{f.Ecosystem}|{f.Package}|{f.Version}");
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("status", f.Status);
            json.WriteString("fixState", f.FixState);
            json.WriteString("severity", f.Severity);
            json.WriteString("artifact", artifact.Input);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The package database file that records the package (the finding's evidence), relative to the artifact's root.</summary>
    private static string DatabaseOf(ArtifactReport artifact, VulnerabilityFindingReport f)
    {
        var inventory = artifact.Inventory?.Packages.FirstOrDefault(p => p.Name == f.Package && p.Version == f.Version && p.Ecosystem == f.Ecosystem);
        var path = inventory?.Evidence.Path ?? f.Ecosystem switch
        {
            "apk" => "lib/apk/db/installed",
            "deb" => "var/lib/dpkg/status",
            "rpm" => "var/lib/rpm",
            _ => ".",
        };
        return Uri.EscapeDataString(path.TrimStart('/')).Replace("%2F", "/", StringComparison.Ordinal);
    }


    private static string Level(string severity) => severity switch
    {
        "critical" or "high" => "error",
        "medium" => "warning",
        _ => "note",
    };

    /// <summary>A number in CVSS's 0-10 range for the level (GitHub's code scanning ranks by it).</summary>
    private static string SecuritySeverity(string severity) => (severity switch
    {
        "critical" => 9.5,
        "high" => 8.0,
        "medium" => 5.5,
        "low" => 2.0,
        _ => 0.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    public static int Rank(string severity) => severity switch
    {
        "critical" => 5,
        "high" => 4,
        "medium" => 3,
        "low" => 2,
        "negligible" => 1,
        _ => 0,
    };
}
