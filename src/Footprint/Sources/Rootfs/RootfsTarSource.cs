using Footprint.Sources.Common;

namespace Footprint.Sources.Rootfs;

/// <summary>A root filesystem tarball (plain, gzip, xz, zstd or bzip2): one layer, no whiteout markers.</summary>
internal sealed class RootfsTarSource : IArtifactSource
{
    private readonly string _path;

    public RootfsTarSource(string path)
    {
        _path = path;
        Location = path;
        Layers = [new LayerDescriptor(0, null, null, null, new FileInfo(path).Length, path)];
    }

    public string Kind => "rootfs-tar";

    public string Location { get; }

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    public bool InterpretWhiteouts => false;

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
        => new TarLayerReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), layer, options with { MeasurePushSize = false });

    public void Dispose()
    {
    }
}
