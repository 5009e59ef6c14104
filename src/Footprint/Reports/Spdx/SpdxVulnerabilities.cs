using System.Text.Json;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Measures.Inventory;

namespace Footprint.Reports.Spdx;

/// <summary>
/// The report's vulnerability findings on the SPDX 2.3 packages they affect. SPDX 2.3 has no vulnerability section
/// (that came with 3.0's Security profile), so each finding is, on its package: an external reference of category
/// SECURITY and type "advisory" whose locator is the advisory's page (SPDX 2.3 Annex F: "advisory" is a URL to a
/// security advisory), and an annotation (type OTHER: a tool's statement, not a human review) with the status, the
/// fix and the reachability.
/// </summary>
internal sealed class SpdxVulnerabilities
{
    private readonly Dictionary<(string Ecosystem, string Name, string Version), List<VulnerabilityFindingReport>> _byPackage = [];
    private readonly string? _distro;
    private readonly string _annotator;
    private readonly string _date;

    public SpdxVulnerabilities(VulnerabilityReport? vulnerabilities, string annotator, string date)
    {
        _distro = vulnerabilities?.Distro;
        _annotator = annotator;
        _date = date;
        foreach (var f in vulnerabilities?.Findings ?? [])
        {
            var key = (f.Ecosystem, f.Package, f.Version);
            (_byPackage.TryGetValue(key, out var list) ? list : _byPackage[key] = []).Add(f);
        }
    }

    /// <summary>The findings on <paramref name="package"/>, in report order.</summary>
    public IReadOnlyList<VulnerabilityFindingReport> Of(PackageReport package)
        => _byPackage.GetValueOrDefault((package.Ecosystem, package.Name, package.Version)) ?? [];

    /// <summary>One SECURITY/advisory reference per finding, inside the package's open externalRefs array.</summary>
    public void WriteReferences(Utf8JsonWriter json, IReadOnlyList<VulnerabilityFindingReport> findings)
    {
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("referenceCategory", "SECURITY");
            json.WriteString("referenceType", "advisory");
            json.WriteString("referenceLocator", AdvisoryLinks.Page(f.Id, _distro));
            json.WriteString("comment", f.Id + (f.Aliases.Count > 0 ? " (" + string.Join(", ", f.Aliases) + ")" : string.Empty));
            json.WriteEndObject();
        }
    }

    /// <summary>The package's "annotations": one per finding, when it has any.</summary>
    public void WriteAnnotations(Utf8JsonWriter json, IReadOnlyList<VulnerabilityFindingReport> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        json.WriteStartArray("annotations");
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("annotationDate", _date);
            json.WriteString("annotationType", "OTHER");
            json.WriteString("annotator", _annotator);
            json.WriteString("comment", $"vulnerability {f.Id}: status {f.Status}; severity {f.Severity}; fix {f.FixState}"
                + (f.FixedVersions.Count > 0 ? $" (fixed in {string.Join(", ", f.FixedVersions)})" : string.Empty)
                + $"; reachability {f.Reachability ?? "not computed"}; source {f.SourcePackage} {f.SourceVersion}; {f.Reason}");
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
