using System.Buffers;
using Footprint.Formats;

namespace Footprint.Sources.Image;

/// <summary>
/// Passes an uncompressed layer through unchanged while its bytes are offered to a compressor on the side, to learn
/// the bytes a registry push would store. The exact figure depends on the pusher's compressor (docker's Go gzip,
/// containerd, podman all differ), so by default a layer larger than <see cref="ExactBelowBytes"/> is only sampled
/// (<see cref="SampledGzipEstimator"/>: a few MiB compressed, with a stated error bound); asked for the exact figure,
/// every byte is compressed on all cores (<see cref="ChunkedGzipCompressor"/>). Smaller layers are compressed whole,
/// as one stream (<see cref="WholeGzipCompressor"/>), in both modes: sampling them would save little.
/// </summary>
internal sealed class PushSizeStream : ReadOnlyStream
{
    /// <summary>Layers up to this size are always compressed whole (a sample plan reads 6 MiB of them anyway).</summary>
    internal const long ExactBelowBytes = 16L << 20;

    private readonly Stream _inner;
    private readonly string _location;
    private readonly long _length;
    private readonly IPushCompressor _compressor;
    private long _position;
    private PushSize? _result;

    /// <param name="inner">The uncompressed layer.</param>
    /// <param name="length">Its length in bytes (the stream is seekable: the size of the stored file or member).</param>
    /// <param name="exact">Compress every byte even when the layer is large (`--exact-push-size`).</param>
    /// <param name="location">The layer's file, named when it ends before its announced length.</param>
    public PushSizeStream(Stream inner, long length, bool exact, string location)
    {
        _inner = inner;
        _location = location;
        _length = length;
        _compressor = length <= ExactBelowBytes ? new WholeGzipCompressor()
            : exact ? new ChunkedGzipCompressor()
            : new SampledGzipEstimator(length);
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        if (n > 0)
        {
            _compressor.Accept(buffer[..n], _position);
            _position += n;
        }

        return n;
    }

    /// <summary>Reads the rest of the layer, then waits for the compressor.</summary>
    public PushSize Complete()
    {
        if (_result is null)
        {
            var sink = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                while (Read(sink, 0, sink.Length) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sink);
            }

            if (_position != _length)
            {
                // The sample plan was made for the announced length; a member that ends early is a broken archive.
                throw new Formats.FootprintFormatException(_location, _position, $"the layer ends after {_position} bytes, {_length} were announced");
            }

            _result = _compressor.Complete(_position);
        }

        return _result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _compressor.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
