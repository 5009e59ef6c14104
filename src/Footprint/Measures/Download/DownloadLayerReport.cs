namespace Footprint.Measures.Download;

public sealed record DownloadLayerReport
{
    public int Index { get; init; }

    public string? Digest { get; init; }

    public string? DiffId { get; init; }

    public string? MediaType { get; init; }

    /// <summary>none, gzip, xz, zstd, bzip2: how the blob is stored in the artifact.</summary>
    public required string Compression { get; init; }

    public long StoredBytes { get; init; }

    public long DownloadBytes { get; init; }

    /// <summary>stored (the blob as is) or recompressed (gzip -6 of the uncompressed blob, really computed).</summary>
    public required string Method { get; init; }

    /// <summary>Digest of the gzip stream that was computed, when recompressed.</summary>
    public string? PushDigest { get; init; }
}
