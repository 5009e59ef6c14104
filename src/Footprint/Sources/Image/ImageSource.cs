using Footprint.Sources.Image;

namespace Footprint.Sources;

/// <summary>A container image whose layers are blobs of a blob store (OCI layout or archive, docker save, skopeo dir).</summary>
internal sealed class ImageSource : IArtifactSource, IContentIdentity
{
    private readonly IBlobStore _store;
    private readonly Dictionary<int, string> _blobNames;

    public ImageSource(string kind, string location, IBlobStore store, ImageConfig config, IReadOnlyList<(LayerDescriptor Layer, string BlobName)> layers,
        long? manifestBytes, long? configBytes, string? manifestDigest)
    {
        Kind = SourceKind.Named(kind);
        Location = location;
        _store = store;
        Config = config;
        Layers = layers.Select(l => l.Layer).ToList();
        _blobNames = layers.ToDictionary(l => l.Layer.Index, l => l.BlobName);
        ManifestBytes = manifestBytes;
        ConfigBytes = configBytes;
        ManifestDigest = manifestDigest;
    }

    public SourceKind Kind { get; }

    public string Location { get; }

    public ImageConfig? Config { get; }

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes { get; }

    public long? ConfigBytes { get; }

    public string? ManifestDigest { get; }

    /// <summary>For an image without a manifest digest: the digest of the metadata naming its config and layers.</summary>
    public string? ContentDigest { get; init; }

    public bool InterpretWhiteouts => true;

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
    {
        var name = _blobNames[layer.Index];
        var raw = _store.Open(name);
        return new TarLayerReader(raw, layer, options, () => _store.Stamp(name, raw));
    }

    public void Dispose() => _store.Dispose();
}
