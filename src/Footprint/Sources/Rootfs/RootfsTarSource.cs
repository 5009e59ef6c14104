using Footprint.Sources.Image;

namespace Footprint.Sources.Rootfs;

/// <summary>A root filesystem tarball (plain, gzip, xz, zstd or bzip2): one layer, no whiteout markers.</summary>
internal sealed class RootfsTarSource : IArtifactSource
{
    /// <summary>Warning code for bytes after the last compressed member that were ignored.</summary>
    public const string TrailingDataWarning = "compressed-trailing-data";

    private readonly string _path;

    public RootfsTarSource(string path)
    {
        _path = path;
        Location = path;
        Layers = [new LayerDescriptor(0, null, null, null, new FileInfo(path).Length, path)];
    }

    public SourceKind Kind => SourceKind.RootfsTar;

    public string Location { get; }

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    public bool InterpretWhiteouts => false;

    /// <summary>The file as one layer; push size is not measured (a rootfs tarball is not pushed as an image layer).</summary>
    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
    {
        // TarLayerReader detects the compression, reports data after the compressed stream as a warning and reads the
        // stream to its end when the layer is finished, so the compressed stream's own checks run.
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            return new TarLayerReader(file, layer, options with { MeasurePushSize = false });
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
    }
}
