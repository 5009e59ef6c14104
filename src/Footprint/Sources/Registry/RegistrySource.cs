using Footprint.FileSystem;
using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// An image in a registry. Opening it fetches the manifest (through any index) and the config; each layer is
/// streamed from the registry when it is read, straight into the layer reader, verified by digest as it passes.
/// </summary>
internal sealed class RegistrySource : IArtifactSource, IRegistryBacked
{
    private readonly RegistryClient _client;
    private readonly RegistryBlobStore _store;
    private readonly Dictionary<int, string> _blobNames = [];

    private RegistrySource(string location, RegistryClient client, RegistryBlobStore store, RegistryImageReader.Resolved resolved)
    {
        Location = location;
        _client = client;
        _store = store;
        Config = resolved.Config;
        Layers = resolved.Layers;
        ManifestBytes = resolved.ManifestBytes;
        ConfigBytes = resolved.ConfigBytes;
        ManifestDigest = resolved.ManifestDigest;
        foreach (var l in resolved.Layers)
        {
            _blobNames[l.Index] = store.Add(l.BlobDigest!, l.StoredBytes);
        }
    }

    public SourceKind Kind => SourceKind.Registry;

    public string Location { get; }

    public ImageConfig? Config { get; }

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes { get; }

    public long? ConfigBytes { get; }

    public string? ManifestDigest { get; }

    public bool InterpretWhiteouts => true;

    public ImageReference Reference => _client.Reference;

    public int RequestCount => _client.RequestCount;

    /// <summary>Resolves <paramref name="reference"/> in its registry; <paramref name="location"/> is what the user typed.</summary>
    public static RegistrySource Open(string location, ImageReference reference, Platform? platform, RegistryOptions options, List<FsWarning> warnings)
    {
        var client = new RegistryClient(reference, options);
        var store = new RegistryBlobStore(client, options.Progress, options.KeptBlobs);
        try
        {
            var resolved = RegistryImageReader.Resolve(client, platform, warnings);
            return new RegistrySource(location, client, store, resolved);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
        => new TarLayerReader(_store.Open(_blobNames[layer.Index]), layer, options);

    public void Dispose() => _store.Dispose();
}
