using System.Globalization;
using System.Text.Json;
using Footprint.Measures.Inventory;
using Footprint.Reports.Sbom;

namespace Footprint.Reports.CycloneDx;

/// <summary>
/// The report of one artifact as a CycloneDX 1.6 JSON BOM (https://cyclonedx.org/docs/1.6/json/), written with
/// <see cref="Utf8JsonWriter"/> (no reflection). A pure function of the report and the options: the serial number is derived
/// from the artifact identity, components are sorted by purl and properties by name, so equal inputs give equal bytes.
/// </summary>
/// <remarks>
/// Licenses go in <c>license.name</c> or, when the declared text parses as an SPDX expression, in <c>expression</c>; never in
/// <c>license.id</c>, which the schema restricts to the SPDX list (an apk "GPL2" there would make the BOM invalid).
/// Dependencies: each package depends on the installed packages that satisfy its database dependencies (resolved by name,
/// provides and file, see Measures.PackageDependencies); the operating system depends on every package; the artifact on the
/// operating system.
/// </remarks>
public static class CycloneDxWriter
{
    public const string SpecVersion = "1.6";

    private const string PropertyPrefix = "footprint:";

    /// <summary>Writes the BOM of the report's one artifact.</summary>
    /// <exception cref="ArgumentException">The report does not hold exactly one artifact.</exception>
    public static void Write(Report report, Stream output, SbomOptions options)
        => SbomJson.Write(report, output, (subject, json) => Write(subject, report.Tool, json, options));

    /// <summary>The BOM as a string (tests, small outputs).</summary>
    public static string ToJson(Report report, SbomOptions options) => SbomJson.ToJson(stream => Write(report, stream, options));

    private static void Write(SbomSubject subject, ToolInfo tool, Utf8JsonWriter json, SbomOptions options)
    {
        var artifactRef = "artifact:" + subject.Name;
        var osRef = subject.Os is { } os ? $"os:{os.Id}@{subject.OsVersion ?? "unknown"}" : null;
        var packageRefs = BomRefs(subject.Packages);

        json.WriteStartObject();
        json.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        json.WriteString("bomFormat", "CycloneDX");
        json.WriteString("specVersion", SpecVersion);
        json.WriteString("serialNumber", "urn:uuid:" + subject.Uuid);
        json.WriteNumber("version", 1);

        json.WriteStartObject("metadata");
        json.WriteString("timestamp", options.CreatedUtc);
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("name", tool.Name);
        json.WriteString("version", options.ToolVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        WriteArtifactComponent(json, subject, artifactRef);
        json.WriteEndObject();

        json.WriteStartArray("components");
        if (subject.Os is { } osReport)
        {
            json.WriteStartObject();
            json.WriteString("bom-ref", osRef);
            json.WriteString("type", "operating-system");
            json.WriteString("name", osReport.Id);
            if (subject.OsVersion is { } version)
            {
                json.WriteString("version", version);
            }

            if ((osReport.PrettyName ?? osReport.Name) is { } description)
            {
                json.WriteString("description", description);
            }

            WriteProperties(json, osReport.Evidence.Select((e, i) => ($"{PropertyPrefix}evidence:{i}", SbomSubject.Describe(e))));
            json.WriteEndObject();
        }

        for (var i = 0; i < subject.Packages.Count; i++)
        {
            WritePackage(json, subject.Packages[i], packageRefs[i]);
        }

        // --files: one "file" component per regular file, with its hashes and the packages that declare it.
        foreach (var f in subject.Artifact.Files ?? [])
        {
            json.WriteStartObject();
            json.WriteString("bom-ref", "file:" + f.Path);
            json.WriteString("type", "file");
            json.WriteString("name", f.Path);
            json.WriteStartArray("hashes");
            foreach (var (alg, value) in new[] { ("SHA-1", f.Sha1), ("SHA-256", f.Sha256) })
            {
                json.WriteStartObject();
                json.WriteString("alg", alg);
                json.WriteString("content", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            var properties = new List<(string, string)> { (PropertyPrefix + "bytes", Number(f.Bytes)), (PropertyPrefix + "layer", Number(f.Layer)) };
            properties.AddRange(f.OwnedBy.Select((o, i) => ($"{PropertyPrefix}ownedBy:{i}", o)));
            WriteProperties(json, properties);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("dependencies");
        WriteDependency(json, artifactRef, osRef is null ? packageRefs : [osRef]);
        if (osRef is not null)
        {
            WriteDependency(json, osRef, packageRefs);
        }

        var refByPurl = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < subject.Packages.Count; i++)
        {
            refByPurl.TryAdd(subject.Packages[i].Purl, packageRefs[i]);
        }

        for (var i = 0; i < subject.Packages.Count; i++)
        {
            var self = packageRefs[i];
            WriteDependency(json, self, subject.Packages[i].DependsOn
                .Select(purl => refByPurl.GetValueOrDefault(purl)).OfType<string>().Where(r => r != self).Distinct(StringComparer.Ordinal).ToList());
        }

        json.WriteEndArray();
        if (subject.Artifact.Vulnerabilities is { Covered: true } vulnerabilities)
        {
            CycloneDxVulnerabilities.Write(json, vulnerabilities, subject.Packages, packageRefs, options.ClaimNotReachable);
        }

        json.WriteEndObject();
    }

    private static void WriteArtifactComponent(Utf8JsonWriter json, SbomSubject subject, string artifactRef)
    {
        var a = subject.Artifact;
        json.WriteStartObject("component");
        json.WriteString("bom-ref", artifactRef);
        // Images are containers; a rootfs tarball, a directory or the host is a file system, which CycloneDX has no type for:
        // "file" as syft writes for file and directory sources.
        json.WriteString("type", subject.IsImage ? "container" : "file");
        json.WriteString("name", subject.Name);
        if (a.ManifestDigest is { } digest && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 7 + 64)
        {
            json.WriteString("version", digest);
            json.WriteStartArray("hashes");
            json.WriteStartObject();
            json.WriteString("alg", "SHA-256");
            json.WriteString("content", digest[7..]);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        var properties = new List<(string, string)>
        {
            (PropertyPrefix + "kind", a.Kind),
            (PropertyPrefix + "installed:apparentBytes", Number(a.Installed.ApparentBytes)),
            (PropertyPrefix + "installed:onDiskBytes", Number(a.Installed.OnDiskBytes)),
            (PropertyPrefix + "installed:blockSizeBytes", Number(a.Installed.BlockSizeBytes)),
            (PropertyPrefix + "installed:files", Number(a.Installed.Files)),
            (PropertyPrefix + "download:method", a.Download.Method),
        };
        if (a.Download.TotalBytes is { } download)
        {
            properties.Add((PropertyPrefix + "download:bytes", Number(download)));
        }

        if (a.Identity.Architecture is { } arch)
        {
            properties.Add((PropertyPrefix + "architecture", arch.Value));
        }

        if (a.Inventory is { } inventory)
        {
            properties.Add((PropertyPrefix + "ownedBytes", Number(inventory.OwnedBytes)));
            properties.Add((PropertyPrefix + "unownedBytes", Number(inventory.UnownedBytes)));
            properties.AddRange(inventory.Databases.Select((d, i) => ($"{PropertyPrefix}packageDatabase:{i}", $"{d.Ecosystem} {d.Path} ({d.Packages} packages)")));
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter json, PackageReport p, string bomRef)
    {
        json.WriteStartObject();
        json.WriteString("bom-ref", bomRef);
        json.WriteString("type", "library");
        json.WriteString("name", p.Name);
        json.WriteString("version", p.Version);
        if (!string.IsNullOrWhiteSpace(p.License))
        {
            json.WriteStartArray("licenses");
            json.WriteStartObject();
            if (SpdxLicenseExpression.IsValid(p.License))
            {
                json.WriteString("expression", p.License);
            }
            else
            {
                json.WriteStartObject("license");
                json.WriteString("name", p.License);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteString("purl", p.Purl);
        var properties = new List<(string, string)>
        {
            (PropertyPrefix + "ecosystem", p.Ecosystem),
            (PropertyPrefix + "declaredFiles", Number(p.DeclaredFiles)),
            (PropertyPrefix + "missingFiles", Number(p.MissingFiles)),
            (PropertyPrefix + "grade", p.Grade),
            (PropertyPrefix + "evidence", SbomSubject.Describe(p.Evidence)),
        };
        if (p.DeclaredBytes is { } declared)
        {
            properties.Add((PropertyPrefix + "declaredBytes", Number(declared)));
        }

        if (p.MeasuredBytes is { } measured)
        {
            properties.Add((PropertyPrefix + "measuredBytes", Number(measured)));
        }

        if (p.Architecture is { } arch)
        {
            properties.Add((PropertyPrefix + "architecture", arch));
        }

        if (p.Source is { } source)
        {
            properties.Add((PropertyPrefix + "source", source));
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter json, IEnumerable<(string Name, string Value)> properties)
    {
        var sorted = properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return;
        }

        json.WriteStartArray("properties");
        foreach (var (name, value) in sorted)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDependency(Utf8JsonWriter json, string bomRef, IReadOnlyList<string> dependsOn)
    {
        json.WriteStartObject();
        json.WriteString("ref", bomRef);
        json.WriteStartArray("dependsOn");
        foreach (var d in dependsOn)
        {
            json.WriteStringValue(d);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>bom-ref = purl; a repeated purl (the same package recorded twice) gets "#2", "#3" so refs stay unique in the BOM.</summary>
    private static List<string> BomRefs(IReadOnlyList<PackageReport> packages)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var refs = new List<string>(packages.Count);
        foreach (var p in packages)
        {
            var n = seen[p.Purl] = seen.GetValueOrDefault(p.Purl) + 1;
            refs.Add(n == 1 ? p.Purl : $"{p.Purl}#{n}");
        }

        return refs;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
