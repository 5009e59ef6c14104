using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Reports.Osv;

/// <summary>
/// The findings as OSV records (ossf.github.io/osv-schema, 1.7.5): a JSON array with one record per vulnerability
/// and artifact, its <c>affected[]</c> the source packages found vulnerable, in the artifact's own OSV ecosystem
/// ("Alpine:v3.10", "Debian:11"), with an ECOSYSTEM range per fixed version the statements give. What OSV has no
/// field for (binary package, installed version, status, fix state, severity word, reachability, evidence) is kept
/// under <c>database_specific</c>. <c>modified</c> is the newest date of the feeds the findings came from.
/// </summary>
public static partial class OsvWriter
{
    public const string SchemaVersion = "1.7.5";

    public static void Write(Report report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = Json.ReadableJsonEncoder.Instance });
        json.WriteStartArray();
        foreach (var artifact in report.Artifacts)
        {
            if (artifact.Vulnerabilities is not { } vulns || Ecosystem(vulns.Distro, vulns.Release) is not { } ecosystem)
            {
                continue;
            }

            var modified = vulns.Feeds.Select(f => Timestamp(f.Date ?? f.Imported)).Max() ?? DateTimeOffset.UnixEpoch;
            foreach (var group in vulns.Findings.GroupBy(f => f.Id, StringComparer.Ordinal))
            {
                WriteRecord(json, artifact.Input, ecosystem, modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), group.Key, [.. group]);
            }
        }

        json.WriteEndArray();
    }

    private static void WriteRecord(Utf8JsonWriter json, string input, string ecosystem, string modified, string id, List<VulnerabilityFindingReport> findings)
    {
        json.WriteStartObject();
        json.WriteString("schema_version", SchemaVersion);

        // OSV ids carry a registered home-database prefix; any other is kept as an alias under a private "x_" id.
        var known = KnownPrefix().IsMatch(id);
        json.WriteString("id", known ? id : "x_footprint-" + id);
        json.WriteString("modified", modified);
        var aliases = findings.SelectMany(f => f.Aliases).Concat(known ? [] : [id]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (aliases.Count > 0)
        {
            json.WriteStartArray("aliases");
            aliases.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteString("summary", $"{id} in {string.Join(", ", findings.Select(f => f.Package).Distinct(StringComparer.Ordinal))} of {input}");
        json.WriteStartArray("affected");
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteStartObject("package");
            json.WriteString("ecosystem", ecosystem);
            json.WriteString("name", f.SourcePackage);
            json.WriteEndObject();
            json.WriteStartArray("ranges");
            foreach (var range in f.FixedVersions.Count == 0 ? [null] : f.FixedVersions.Select(v => (string?)v))
            {
                json.WriteStartObject();
                json.WriteString("type", "ECOSYSTEM");
                json.WriteStartArray("events");
                json.WriteStartObject();
                json.WriteString("introduced", "0");
                json.WriteEndObject();
                if (range is not null)
                {
                    json.WriteStartObject();
                    json.WriteString("fixed", range);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("versions");
            json.WriteStringValue(f.SourceVersion);
            json.WriteEndArray();
            json.WriteStartObject("database_specific");
            json.WriteString("artifact", input);
            json.WriteString("binary", f.Package);
            json.WriteString("installed", f.Version);
            json.WriteString("status", f.Status);
            json.WriteString("fix_state", f.FixState);
            json.WriteString("severity", f.Severity);
            if (f.Reachability is { } reach)
            {
                json.WriteString("reachability", reach);
            }

            if (f.Vex is { } vex)
            {
                json.WriteString("vex_status", vex.Status);
            }

            json.WriteStartArray("evidence");
            foreach (var e in f.Evidence)
            {
                json.WriteStringValue(e);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The OSV ecosystem of a distro release (the inverse of the importer's mapping); null for a distro OSV does not define.</summary>
    public static string? Ecosystem(string? distro, string? release) => (distro, release) switch
    {
        ("alpine", { Length: > 0 } r) => "Alpine:v" + r,
        ("debian", { Length: > 0 } r) => "Debian:" + r,
        ("ubuntu", { Length: > 0 } r) => "Ubuntu:" + r.Replace('-', ':'),
        ("wolfi", _) => "Wolfi",
        ("chainguard", _) => "Chainguard",
        ("rocky", { Length: > 0 } r) => "Rocky Linux:" + r,
        ("almalinux", { Length: > 0 } r) => "AlmaLinux:" + r,
        ("rhel", _) => "Red Hat",
        _ => null,
    };

    /// <summary>A feed date ("2024-05-01" or an ISO 8601 timestamp); null when it is neither.</summary>
    private static DateTimeOffset? Timestamp(string date)
        => DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The home-database prefixes OSV registers that distro and CVE feeds use (osv-schema "id" prefixes).</summary>
    [GeneratedRegex("^(ALPINE|ALSA|ALBA|ALEA|BIT|CGA|CVE|DEBIAN|DSA|DLA|ELA|DTSA|GHSA|MINI|OSV|RHBA|RHEA|RHSA|RLSA|RXSA|UBUNTU|USN)-", RegexOptions.CultureInvariant)]
    private static partial Regex KnownPrefix();
}
