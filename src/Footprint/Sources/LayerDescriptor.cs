using Footprint.Formats.Compression;

namespace Footprint.Sources;

/// <summary>One layer of an artifact, as its manifest (or the source itself) describes it.</summary>
/// <param name="Index">0 = base layer.</param>
/// <param name="Digest">Digest of the stored blob (compressed for OCI, uncompressed tar for docker save), when known.</param>
/// <param name="DiffId">Digest of the uncompressed tar (image config rootfs.diff_ids), when known.</param>
/// <param name="MediaType">Media type from the manifest, when there is one.</param>
/// <param name="StoredBytes">Bytes of the blob as stored in the artifact.</param>
/// <param name="Location">Where the bytes are (blob path, archive member), for evidence and errors.</param>
public sealed record LayerDescriptor(int Index, string? Digest, string? DiffId, string? MediaType, long StoredBytes, string Location)
{
    /// <summary>Compression of the stored blob, found from its first bytes when it is opened.</summary>
    public CompressionKind Compression { get; set; }
}
