using System.Security.Cryptography;
using System.Text;
using Footprint.Analyzers.Identity;
using Footprint.Measures.Inventory;
using Footprint.Walk;

namespace Footprint.Reports.Sbom;

/// <summary>
/// What both SBOM writers say about the artifact: its display name, a stable identity hash, and its packages in a stable order.
/// The hash covers what identifies the content (kind, file name, manifest digest, OS, architecture, package purls), never the
/// absolute input path or the time, so the same artifact gives the same serial number and namespace on every machine.
/// </summary>
internal sealed class SbomSubject
{
    private SbomSubject(ArtifactReport artifact, string name, byte[] hash, IReadOnlyList<PackageReport> packages)
    {
        Artifact = artifact;
        Name = name;
        Hash = hash;
        Packages = packages;
    }

    public ArtifactReport Artifact { get; }

    /// <summary>The input's last path segment ("alpine-minirootfs-3.20.3-x86_64.tar.gz"), or "host" for "/".</summary>
    public string Name { get; }

    /// <summary>SHA-256 of the artifact identity.</summary>
    public byte[] Hash { get; }

    /// <summary>Packages sorted by purl (ordinal), then name and version for equal purls.</summary>
    public IReadOnlyList<PackageReport> Packages { get; }

    public OsReport? Os => Artifact.Identity.Os is { Id: { Length: > 0 } } os ? os : null;

    public string? OsVersion => Os is { } os ? os.VersionId ?? os.DistroVersion ?? os.Version : null;

    public bool IsImage => Artifact.Kind is "docker-archive" or "oci-layout" or "oci-archive";

    /// <summary>The hash as an RFC 4122 name-based UUID (version 5 bits and variant set over the first 16 bytes).</summary>
    public string Uuid
    {
        get
        {
            var b = Hash[..16];
            b[6] = (byte)((b[6] & 0x0F) | 0x50);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            var hex = Convert.ToHexStringLower(b);
            return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
        }
    }

    /// <summary>The one artifact of <paramref name="report"/>.</summary>
    /// <exception cref="ArgumentException">The report holds no artifact or several: an SBOM describes one.</exception>
    public static SbomSubject From(Report report)
    {
        if (report.Artifacts.Count != 1)
        {
            throw new ArgumentException($"an SBOM describes one artifact; the report holds {report.Artifacts.Count}", nameof(report));
        }

        var artifact = report.Artifacts[0];
        var packages = (artifact.Inventory?.Packages ?? [])
            .OrderBy(p => p.Purl, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal)
            .ToList();
        var name = DisplayName(artifact.Input);

        var identity = new StringBuilder();
        identity.Append("kind=").Append(artifact.Kind).Append('\n')
            .Append("name=").Append(name).Append('\n')
            .Append("manifest=").Append(artifact.ManifestDigest).Append('\n')
            .Append("os=").Append(artifact.Identity.Os?.Id).Append(' ').Append(artifact.Identity.Os?.VersionId).Append('\n')
            .Append("arch=").Append(artifact.Identity.Architecture?.Value).Append('\n');
        foreach (var p in packages)
        {
            identity.Append("purl=").Append(p.Purl).Append('\n');
        }

        return new SbomSubject(artifact, name, SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())), packages);
    }

    /// <summary>Property and field values that are written as "path (line/layer): detail".</summary>
    public static string Describe(Evidence evidence)
        => evidence.Layer is { } layer ? $"{evidence.Path} (layer {layer}): {evidence.Detail}" : $"{evidence.Path}: {evidence.Detail}";

    private static string DisplayName(string input)
    {
        var trimmed = input.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return "host";
        }

        // "oci:dir:tag" and "docker-archive:file" references: the last path segment is still the useful name.
        var slash = trimmed.LastIndexOf('/');
        return slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
    }
}
