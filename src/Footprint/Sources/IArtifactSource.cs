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
