using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Tar;

namespace Footprint.Sources.Common;

/// <summary>A layer stored as a (possibly compressed) tar stream: docker save, OCI blobs, rootfs tarballs.</summary>
internal sealed class TarLayerReader : ILayerReader
{
    private readonly LayerDescriptor _layer;
    private readonly LayerReadOptions _options;
    private readonly Stream _raw;
    private readonly PushSizeStream? _push;
    private readonly Stream _decompressed;
    private readonly TarArchiveReader _tar;

    public TarLayerReader(Stream raw, LayerDescriptor layer, LayerReadOptions options)
    {
        _layer = layer;
        _options = options;
        _raw = raw;
        var head = new byte[8];
        var headLength = 0;
        if (raw.CanSeek)
        {
            var start = raw.Position;
            headLength = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            raw.Position = start;
        }

        var stored = raw.CanSeek ? Decompression.Detect(head.AsSpan(0, headLength)) : CompressionKind.None;
        Stream input = raw;
        if (options.MeasurePushSize && raw.CanSeek && stored == CompressionKind.None)
        {
            _push = new PushSizeStream(raw);
            input = _push;
        }

        if (raw.CanSeek && stored == CompressionKind.None)
        {
            _decompressed = input;
            layer.Compression = CompressionKind.None;
        }
        else
        {
            _decompressed = Decompression.Open(input, layer.Location, options.Limits, out var kind, leaveOpen: true);
            layer.Compression = kind;
        }
        _tar = new TarArchiveReader(_decompressed, layer.Location, leaveOpen: true);
    }

    public IFileContent? LazyContent => null;

    public FileEntry? GetNextEntry() => _tar.GetNextEntry();

    public Stream OpenData() => _tar.OpenData();

    public void Finish()
    {
        if (_push is not null)
        {
            var (bytes, digest) = _push.Complete();
            _options.OnPushSize?.Invoke(_layer, bytes, digest);
        }
    }

    public void Dispose()
    {
        _tar.Dispose();
        if (!ReferenceEquals(_decompressed, _raw) && !ReferenceEquals(_decompressed, _push))
        {
            _decompressed.Dispose();
        }

        _push?.Dispose();
        _raw.Dispose();
    }
}
