using Footprint.FileSystem;
using Footprint.Formats.Compression;
using Footprint.Sources.Common;

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

    public string Kind => "rootfs-tar";

    public string Location { get; }

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    public bool InterpretWhiteouts => false;

    /// <summary>
    /// A plain tar goes to <see cref="TarLayerReader"/> as the seekable file. A compressed one is decompressed here, so
    /// that data ignored after the last member becomes a warning in the report, and so that the decompressed stream
    /// is read to its end when the layer is finished: the tar reader stops at the end-of-archive blocks, and the
    /// gzip CRC-32, xz, zstd and bzip2 checks are only verified at the end of their streams.
    /// </summary>
    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
    {
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        options = options with { MeasurePushSize = false };
        try
        {
            Span<byte> head = stackalloc byte[8];
            int headLength = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = 0;
            if (Decompression.Detect(head[..headLength]) == CompressionKind.None)
            {
                return new TarLayerReader(file, layer, options);
            }

            Action<FsWarning>? warn = options.OnWarning;
            Stream data = Decompression.Open(file, _path, options.Limits, out CompressionKind kind, leaveOpen: false,
                onWarning: (offset, message) => warn?.Invoke(new FsWarning(TrailingDataWarning, message, _path, null, offset)));
            var reader = new TarLayerReader(data, layer, options);
            layer.Compression = kind;
            return new DrainingLayerReader(reader, data);
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
