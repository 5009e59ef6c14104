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

    /// <summary>Digest of the gzip stream that was computed, when recompressed exactly (absent for an estimate).</summary>
    public string? PushDigest { get; init; }

    /// <summary>
    /// True when <see cref="DownloadBytes"/> of a recompressed layer was estimated from evenly spaced samples (the
    /// default above 16 MiB; `measure --exact-push-size` compresses every byte); absent when every byte was compressed.
    /// </summary>
    public bool? PushBytesEstimated { get; init; }

    /// <summary>For an estimate: a gzip -6 of the whole layer lies within DownloadBytes ± this many bytes (3 standard errors plus 3% for gzip implementations).</summary>
    public long? PushBytesErrorBound { get; init; }

    /// <summary>For an estimate: how many uncompressed bytes of the layer were compressed to make it.</summary>
    public long? PushSampledBytes { get; init; }
}
