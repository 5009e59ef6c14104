using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Tar;

namespace Footprint.Sources.Image;

/// <summary>
/// A layer stored as a (possibly compressed) tar stream: docker save, OCI blobs, rootfs tarballs. When the artifact
/// names digests for the layer, the stored bytes and the uncompressed tar are hashed while they stream past and
/// compared in <see cref="Finish"/>: the layer is verified by the one read that measures it.
/// </summary>
internal sealed class TarLayerReader : ILayerReader
{
    private readonly LayerDescriptor _layer;
    private readonly LayerReadOptions _options;
    private readonly Stream _raw;
    private readonly DigestingStream? _blobHash;
    private readonly DigestingStream? _diffHash;
    private readonly PushSizeStream? _push;
    private readonly Stream _decompressed;
    private readonly ReadAheadStream _ahead;
    private readonly Stream _tarInput;
    private readonly TarArchiveReader _tar;
    private readonly Func<FileStamp?>? _stamp;

    public TarLayerReader(Stream raw, LayerDescriptor layer, LayerReadOptions options, Func<FileStamp?>? stamp = null)
    {
        _stamp = stamp;
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

        var verify = options.Verify && (layer.BlobDigest is not null || layer.DiffId is not null);
        var stored = raw.CanSeek ? Decompression.Detect(head.AsSpan(0, headLength)) : CompressionKind.None;
        Stream input = raw;
        if (verify)
        {
            _blobHash = new DigestingStream(raw, layer.BlobDigest ?? layer.DiffId!);
            input = _blobHash;
        }

        if (options.MeasurePushSize && raw.CanSeek && stored == CompressionKind.None)
        {
            _push = new PushSizeStream(input, raw.Length - raw.Position, options.ExactPushSize, layer.Location);
            input = _push;
        }

        if (raw.CanSeek && stored == CompressionKind.None)
        {
            _decompressed = input;
            layer.Compression = CompressionKind.None;
        }
        else
        {
            var warn = options.OnWarning;
            _decompressed = Decompression.Open(input, layer.Location, options.Limits, out var kind, leaveOpen: true,
                onWarning: (offset, message) => warn?.Invoke(new FsWarning(Rootfs.RootfsTarSource.TrailingDataWarning, message, layer.Location, null, offset)));
            layer.Compression = kind;
        }

        // Reading the blob, hashing it, sizing its push and decompressing it run on a thread of their own; hashing the
        // uncompressed tar and parsing it stay on the caller's: one blob keeps two cores busy (bench/: debian-oci).
        _ahead = new ReadAheadStream(_decompressed);

        // The uncompressed tar is hashed on its own unless it is the stored blob, hashed already with the same algorithm.
        var sameBytes = layer.Compression == CompressionKind.None && _blobHash is not null && SameAlgorithm(layer.BlobDigest ?? layer.DiffId!, layer.DiffId);
        _tarInput = _ahead;
        if (verify && layer.DiffId is not null && !sameBytes)
        {
            _diffHash = new DigestingStream(_ahead, layer.DiffId);
            _tarInput = _diffHash;
        }

        _tar = new TarArchiveReader(_tarInput, layer.Location, leaveOpen: true);
    }

    public IFileContent? LazyContent => null;

    public FileEntry? GetNextEntry() => _tar.GetNextEntry();

    public Stream OpenData() => _tar.OpenData();

    public void Finish()
    {
        if (_blobHash is not null || _layer.Compression != CompressionKind.None)
        {
            // Everything after the tar's end-of-archive blocks (zero padding to the record size) is part of both
            // digests, and a compressed stream's own checks (gzip CRC-32 and ISIZE, xz block checks, zstd checksum,
            // bzip2 CRCs) are verified only when its decoder reaches them: read it through the uncompressed stream,
            // even with --no-verify or for a rootfs tarball that names no digest.
            Drain(_tarInput);
        }

        if (_push is not null)
        {
            _options.OnPushSize?.Invoke(_layer, _push.Complete());
        }

        if (_blobHash is not null)
        {
            _blobHash.Drain();
            Verify();
        }
    }

    public bool VerifyStoredBlob()
    {
        var l = _layer;
        if (_blobHash is null || (l.BlobDigest is null && l.Compression != CompressionKind.None))
        {
            // Named by its diffID only and compressed: only decompressing it can check it.
            return false;
        }

        _blobHash.Drain();
        return _blobHash.Count == l.StoredBytes && _blobHash.Digest() == (l.BlobDigest ?? l.DiffId);
    }

    public FileStamp? BlobStamp() => _stamp?.Invoke();

    public void Dispose()
    {
        _tar.Dispose();

        // First: it joins its thread, which reads every stream below.
        _ahead.Dispose();
        if (!ReferenceEquals(_decompressed, _raw) && !ReferenceEquals(_decompressed, _push) && !ReferenceEquals(_decompressed, _blobHash))
        {
            _decompressed.Dispose();
        }

        _diffHash?.Dispose();
        _push?.Dispose();
        _blobHash?.Dispose();
        _raw.Dispose();
    }

    private void Verify()
    {
        var l = _layer;
        if (_blobHash!.Count != l.StoredBytes)
        {
            throw new FootprintFormatException(l.Location, null, $"layer {l.Index}: the blob is {_blobHash.Count} bytes, the manifest says {l.StoredBytes}");
        }

        if (l.BlobDigest is { } expectedBlob && _blobHash.Digest() is var blob && blob != expectedBlob)
        {
            throw new FootprintFormatException(l.Location, null, $"layer {l.Index}: content digest is {blob}, expected {expectedBlob} (the digest the manifest names)");
        }

        if (l.DiffId is { } expectedDiff && (_diffHash ?? _blobHash).Digest() is var diff && diff != expectedDiff)
        {
            throw new FootprintFormatException(l.Location, null,
                $"layer {l.Index}: uncompressed content digest is {diff}, expected {expectedDiff} (rootfs.diff_ids[{l.Index}] in the image config)");
        }

        l.Verified = true;
    }

    private static bool SameAlgorithm(string a, string? b)
        => b is not null && a.AsSpan(0, a.IndexOf(':', StringComparison.Ordinal)).SequenceEqual(b.AsSpan(0, Math.Max(0, b.IndexOf(':', StringComparison.Ordinal))));

    private static void Drain(Stream s)
    {
        if (s is DigestingStream d)
        {
            d.Drain();
            return;
        }

        s.CopyTo(Stream.Null);
    }
}
