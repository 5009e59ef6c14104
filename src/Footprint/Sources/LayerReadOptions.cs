namespace Footprint.Sources;

/// <summary>How a layer is read.</summary>
public sealed record LayerReadOptions
{
    public Formats.Compression.DecompressionLimits Limits { get; init; } = Formats.Compression.DecompressionLimits.Default;

    /// <summary>
    /// Check every layer against the digests and sizes its artifact names (blob digest and size, rootfs.diff_ids)
    /// while it is read; `--no-verify` turns this off.
    /// </summary>
    public bool Verify { get; init; } = true;

    /// <summary>When the blob is stored uncompressed, gzip it on the side to learn the push size.</summary>
    public bool MeasurePushSize { get; init; }

    /// <summary>
    /// Compress every byte of a large uncompressed layer (on all cores) instead of estimating its push size from
    /// samples (`--exact-push-size`).
    /// </summary>
    public bool ExactPushSize { get; init; }

    /// <summary>Hash every regular file (SHA-1 and SHA-256) while its bytes stream past (`sbom --files`).</summary>
    public bool HashFiles { get; init; }

    /// <summary>Receives the push size (computed or estimated) when <see cref="MeasurePushSize"/> applied.</summary>
    public Action<LayerDescriptor, Image.PushSize>? OnPushSize { get; init; }

    /// <summary>
    /// Receives warnings about the layer's stored bytes (data after the last compressed member); the loader points it
    /// at the layer's warning list, so they reach the report.
    /// </summary>
    public Action<FileSystem.FsWarning>? OnWarning { get; init; }
}
