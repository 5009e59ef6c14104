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

    /// <summary>
    /// The digest the stored blob must have: the manifest descriptor's (OCI), the blobs/sha256/ member name (docker
    /// save since 25). Null when the artifact names none for the blob itself (an older docker save names the layer
    /// by id; its content is still checked against <see cref="DiffId"/>).
    /// </summary>
    public string? BlobDigest { get; init; }

    /// <summary>
    /// Set once the layer was read to its end: true when its bytes matched every digest and size the artifact gives
    /// for it (at least one); false when it gives none or verification was turned off (`--no-verify`).
    /// </summary>
    public bool Verified { get; set; }
}
