namespace Footprint.Sources.Common;

/// <summary>An artifact read from a temporary decompressed copy, which is deleted with the source.</summary>
internal sealed class SpooledSource(IArtifactSource inner, string spoolPath) : IArtifactSource
{
    public string Kind => inner.Kind;

    public string Location => inner.Location;

    public ImageConfig? Config => inner.Config;

    public IReadOnlyList<LayerDescriptor> Layers => inner.Layers;

    public long? ManifestBytes => inner.ManifestBytes;

    public long? ConfigBytes => inner.ConfigBytes;

    public string? ManifestDigest => inner.ManifestDigest;

    public bool InterpretWhiteouts => inner.InterpretWhiteouts;

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options) => inner.OpenLayer(layer, options);

    public void Dispose()
    {
        inner.Dispose();
        try
        {
            File.Delete(spoolPath);
        }
        catch (IOException)
        {
        }
    }
}
