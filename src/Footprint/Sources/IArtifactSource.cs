namespace Footprint.Sources;

/// <summary>An artifact opened for reading: its layers, its config, and what it costs to download.</summary>
public interface IArtifactSource : IDisposable
{
    /// <summary>What kind of artifact this is (its family decides how it is downloaded and which facts exist).</summary>
    SourceKind Kind { get; }

    /// <summary>What the user passed (path, with any tag).</summary>
    string Location { get; }

    /// <summary>Image config, for image kinds.</summary>
    ImageConfig? Config { get; }

    IReadOnlyList<LayerDescriptor> Layers { get; }

    /// <summary>Bytes of the manifest blob, when the artifact has one.</summary>
    long? ManifestBytes { get; }

    /// <summary>Bytes of the config blob, when the artifact has one.</summary>
    long? ConfigBytes { get; }

    /// <summary>Digest of the manifest (image identity), when known.</summary>
    string? ManifestDigest { get; }

    /// <summary>True for image layers (whiteout files are markers); false for a plain rootfs.</summary>
    bool InterpretWhiteouts { get; }

    /// <summary>Opens a layer. The options may ask for the gzip size a registry push would produce (uncompressed blobs only).</summary>
    ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options);

    /// <summary>
    /// A capability this source has (e.g. <see cref="IDiskBacked"/>, a medium's components), or null: callers ask for
    /// what they need instead of downcasting to a source class.
    /// </summary>
    TCapability? Capability<TCapability>()
        where TCapability : class
        => this as TCapability;
}

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
