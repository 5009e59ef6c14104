using Footprint.Formats.Compression;

namespace Footprint.Sources.Registry;

/// <summary>The manifest media types a pull negotiates (OCI image-spec media-types.md; Docker image manifest v2 schema 2).</summary>
internal static class ManifestMediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker schema 1 (signed or not): deprecated, unsupported since Docker 28; refused.</summary>
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>The Accept header of every manifest request: a registry answers with one of these or fails.</summary>
    public static readonly string[] Accepted = [OciIndex, OciManifest, DockerList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerList;

    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1 or DockerSchema1Signed;

    /// <summary>
    /// How a layer of this media type is compressed ("+gzip", "+zstd", docker's "tar.gzip"); None for a plain tar and
    /// for a type not known (the reader then finds the compression from the blob's first bytes).
    /// </summary>
    public static CompressionKind LayerCompression(string? mediaType) => mediaType switch
    {
        null => CompressionKind.None,
        _ when mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal) => CompressionKind.Gzip,
        _ when mediaType.EndsWith("+zstd", StringComparison.Ordinal) => CompressionKind.Zstd,
        _ => CompressionKind.None,
    };

    /// <summary>The media type without parameters ("; charset=utf-8").</summary>
    public static string? Bare(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semi < 0 ? contentType : contentType[..semi]).Trim();
    }
}
