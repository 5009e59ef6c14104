namespace Footprint.Measures.Download;

public sealed record DownloadReport
{
    /// <summary>Bytes a pull transfers; null when the artifact is not downloaded as such (a directory, the host).</summary>
    public long? TotalBytes { get; init; }

    /// <summary>registry-blobs | recompressed | file | not-applicable.</summary>
    public required string Method { get; init; }

    public required string Explanation { get; init; }

    public long? ManifestBytes { get; init; }

    /// <summary>True when the manifest was not in the artifact and its size was computed from the one a push would write.</summary>
    public bool ManifestEstimated { get; init; }

    public long? ConfigBytes { get; init; }

    /// <summary>When some layer's push size is an estimate: the sum of their error bounds (the total is within ± this).</summary>
    public long? TotalBytesErrorBound { get; init; }

    public required IReadOnlyList<DownloadLayerReport> Layers { get; init; }

    public HaveReport? Have { get; init; }
}
