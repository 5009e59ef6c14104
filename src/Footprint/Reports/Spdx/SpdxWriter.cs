using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Footprint.Measures.Files;
using Footprint.Measures.Inventory;
using Footprint.Reports.Sbom;

namespace Footprint.Reports.Spdx;

/// <summary>
/// The report of one artifact as an SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/), written with
/// <see cref="Utf8JsonWriter"/> (no reflection). A pure function of the report and the options: the namespace is derived from
/// the artifact identity and packages are sorted by purl, so equal inputs give equal bytes.
/// </summary>
/// <remarks>
/// Packages are not analysed file by file (filesAnalyzed false, so no verification code is owed). licenseDeclared is the
/// database's license when it parses as an SPDX expression (Annex D syntax), else NOASSERTION: SPDX consumers reject a
/// free-text license there. The artifact and its operating system are packages too; the document DESCRIBES the artifact,
/// which CONTAINS the operating system and every package; a package DEPENDS_ON the installed packages that satisfy its
/// database dependencies.
/// </remarks>
public static class SpdxWriter
{
    public const string SpdxVersion = "SPDX-2.3";

    private const string NoAssertion = "NOASSERTION";

    /// <summary>Writes the document of the report's one artifact.</summary>
    /// <exception cref="ArgumentException">The report does not hold exactly one artifact.</exception>
    public static void Write(Report report, Stream output, SbomOptions options)
        => SbomJson.Write(report, output, (subject, json) => Write(subject, report.Tool, json, options));

    /// <summary>The document as a string (tests, small outputs).</summary>
    public static string ToJson(Report report, SbomOptions options) => SbomJson.ToJson(stream => Write(report, stream, options));

    private static void Write(SbomSubject subject, ToolInfo tool, Utf8JsonWriter json, SbomOptions options)
    {
        var artifact = subject.Artifact;
        var artifactId = "SPDXRef-Artifact-" + Sanitise(subject.Name);
        const string osId = "SPDXRef-OperatingSystem";
        var packageIds = PackageIds(subject.Packages);
        var vulnerabilities = new SpdxVulnerabilities(artifact.Vulnerabilities, $"Tool: {tool.Name}-{options.ToolVersion}", options.CreatedUtc);

        json.WriteStartObject();
        json.WriteString("spdxVersion", SpdxVersion);
        json.WriteString("dataLicense", "CC0-1.0");
        json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
        json.WriteString("name", subject.Name);
        // Spdx 2.3 §6.5: a unique absolute URI; https://spdx.org/spdxdocs/ is the prefix the SPDX tools use for generated documents.
        json.WriteString("documentNamespace", $"https://spdx.org/spdxdocs/footprint-{Sanitise(subject.Name)}-{subject.Uuid}");
        json.WriteStartObject("creationInfo");
        json.WriteString("created", options.CreatedUtc);
        json.WriteStartArray("creators");
        json.WriteStringValue($"Tool: {tool.Name}-{options.ToolVersion}");
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("packages");

        json.WriteStartObject();
        json.WriteString("SPDXID", artifactId);
        json.WriteString("name", subject.Name);
        if (artifact.ManifestDigest is { } digest && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 7 + 64)
        {
            json.WriteString("versionInfo", digest);
        }

        WriteNoAssertions(json);
        if (artifact.ManifestDigest is { } d && d.StartsWith("sha256:", StringComparison.Ordinal) && d.Length == 7 + 64)
        {
            json.WriteStartArray("checksums");
            json.WriteStartObject();
            json.WriteString("algorithm", "SHA256");
            json.WriteString("checksumValue", d[7..]);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        // A rootfs tarball is an archive; a directory or the host is not, and SPDX has no purpose for a file system.
        json.WriteString("primaryPackagePurpose", artifact.Kind switch
        {
            "docker-archive" or "oci-layout" or "oci-archive" => "CONTAINER",
            "rootfs-tar" => "ARCHIVE",
            _ => "OTHER",
        });
        json.WriteString("comment", $"footprint {artifact.Kind}: {artifact.Installed.ApparentBytes} apparent bytes installed, "
            + $"{artifact.Installed.OnDiskBytes} on disk"
            + (artifact.Download.TotalBytes is { } download ? $", {download} bytes to download" : "")
            + (artifact.Inventory is { } inventory ? $", {inventory.UnownedBytes} bytes owned by no package" : ""));
        json.WriteEndObject();

        if (subject.Os is { } os)
        {
            json.WriteStartObject();
            json.WriteString("SPDXID", osId);
            json.WriteString("name", os.Id);
            if (subject.OsVersion is { } version)
            {
                json.WriteString("versionInfo", version);
            }

            WriteNoAssertions(json);
            if ((os.PrettyName ?? os.Name) is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteString("primaryPackagePurpose", "OPERATING_SYSTEM");
            json.WriteEndObject();
        }

        for (var i = 0; i < subject.Packages.Count; i++)
        {
            WritePackage(json, subject.Packages[i], packageIds[i], vulnerabilities);
        }

        json.WriteEndArray();

        // --files: every regular file, with the SHA-1 SPDX requires and a SHA-256; contained by its owning packages, else by the artifact.
        var fileIds = new List<(FileReport File, string Id)>();
        if (artifact.Files is { } files)
        {
            json.WriteStartArray("files");
            foreach (var f in files)
            {
                var id = "SPDXRef-File-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(f.Path)))[..16];
                fileIds.Add((f, id));
                json.WriteStartObject();
                json.WriteString("SPDXID", id);
                json.WriteString("fileName", "." + f.Path);
                json.WriteStartArray("checksums");
                foreach (var (alg, value) in new[] { ("SHA1", f.Sha1), ("SHA256", f.Sha256) })
                {
                    json.WriteStartObject();
                    json.WriteString("algorithm", alg);
                    json.WriteString("checksumValue", value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("licenseConcluded", NoAssertion);
                json.WriteString("copyrightText", NoAssertion);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("relationships");
        WriteRelationship(json, "SPDXRef-DOCUMENT", "DESCRIBES", artifactId);
        if (subject.Os is not null)
        {
            WriteRelationship(json, artifactId, "CONTAINS", osId);
        }

        foreach (var id in packageIds)
        {
            WriteRelationship(json, artifactId, "CONTAINS", id);
        }

        foreach (var (file, id) in fileIds)
        {
            var owners = file.OwnedBy.Select(purl => idByPurlForFiles(purl)).OfType<string>().ToList();
            foreach (var owner in owners.Count > 0 ? owners : [artifactId])
            {
                WriteRelationship(json, owner, "CONTAINS", id);
            }
        }

        string? idByPurlForFiles(string purl)
        {
            for (var i = 0; i < subject.Packages.Count; i++)
            {
                if (subject.Packages[i].Purl == purl)
                {
                    return packageIds[i];
                }
            }

            return null;
        }

        // Package-to-package edges from the databases' dependencies, resolved to the installed providers.
        var idByPurl = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < subject.Packages.Count; i++)
        {
            idByPurl.TryAdd(subject.Packages[i].Purl, packageIds[i]);
        }

        for (var i = 0; i < subject.Packages.Count; i++)
        {
            foreach (var target in subject.Packages[i].DependsOn)
            {
                if (idByPurl.TryGetValue(target, out var targetId) && targetId != packageIds[i])
                {
                    WriteRelationship(json, packageIds[i], "DEPENDS_ON", targetId);
                }
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A package; with an advisory database, its findings as SECURITY references and annotations (<see cref="SpdxVulnerabilities"/>).</summary>
    private static void WritePackage(Utf8JsonWriter json, PackageReport p, string id, SpdxVulnerabilities vulnerabilities)
    {
        var findings = vulnerabilities.Of(p);
        json.WriteStartObject();
        json.WriteString("SPDXID", id);
        json.WriteString("name", p.Name);
        json.WriteString("versionInfo", p.Version);
        json.WriteString("downloadLocation", NoAssertion);
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("licenseConcluded", NoAssertion);
        json.WriteString("licenseDeclared", SpdxLicenseExpression.IsValid(p.License) ? p.License : NoAssertion);
        json.WriteString("copyrightText", NoAssertion);
        if (p.Source is { } source && source != p.Name)
        {
            json.WriteString("sourceInfo", "built from source package " + source);
        }

        json.WriteString("comment", $"{p.Ecosystem} {p.Grade}: declared {p.DeclaredBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} bytes, "
            + $"measured {p.MeasuredBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} bytes, "
            + $"{p.MissingFiles} of {p.DeclaredFiles} files missing; {SbomSubject.Describe(p.Evidence)}");
        json.WriteStartArray("externalRefs");
        json.WriteStartObject();
        json.WriteString("referenceCategory", "PACKAGE-MANAGER");
        json.WriteString("referenceType", "purl");
        json.WriteString("referenceLocator", p.Purl);
        json.WriteEndObject();
        vulnerabilities.WriteReferences(json, findings);
        json.WriteEndArray();
        vulnerabilities.WriteAnnotations(json, findings);
        json.WriteString("primaryPackagePurpose", "LIBRARY");
        json.WriteEndObject();
    }

    private static void WriteNoAssertions(Utf8JsonWriter json)
    {
        json.WriteString("downloadLocation", NoAssertion);
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("licenseConcluded", NoAssertion);
        json.WriteString("licenseDeclared", NoAssertion);
        json.WriteString("copyrightText", NoAssertion);
    }

    private static void WriteRelationship(Utf8JsonWriter json, string element, string type, string related)
    {
        json.WriteStartObject();
        json.WriteString("spdxElementId", element);
        json.WriteString("relationshipType", type);
        json.WriteString("relatedSpdxElement", related);
        json.WriteEndObject();
    }

    /// <summary>"SPDXRef-Package-&lt;name&gt;-&lt;first 8 hex of SHA-256(purl)&gt;", with "-2", "-3" on the rare collision.</summary>
    private static List<string> PackageIds(IReadOnlyList<PackageReport> packages)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>(packages.Count);
        foreach (var p in packages)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p.Purl)))[..8];
            var id = $"SPDXRef-Package-{Sanitise(p.Name)}-{hash}";
            for (var n = 2; !used.Add(id); n++)
            {
                id = $"SPDXRef-Package-{Sanitise(p.Name)}-{hash}-{n}";
            }

            ids.Add(id);
        }

        return ids;
    }

    /// <summary>SPDX identifiers are "SPDXRef-" then [A-Za-z0-9.-]+ (SPDX 2.3 §3.2); everything else becomes '-'.</summary>
    private static string Sanitise(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray();
        return chars.Length == 0 ? "unnamed" : new string(chars);
    }
}
