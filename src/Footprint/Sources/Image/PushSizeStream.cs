using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Threading.Channels;
using Footprint.Formats;

namespace Footprint.Sources.Image;

/// <summary>
/// Passes an uncompressed layer through unchanged while a second thread gzips a copy of every byte
/// (level 6, what `gzip` and registries' clients use by default), to learn the bytes a registry push
/// would store. The gzip output is only counted and hashed, never kept.
/// </summary>
internal sealed class PushSizeStream : ReadOnlyStream
{
    private const int MaxQueuedChunks = 16;

    private readonly Stream _inner;
    private readonly Channel<(byte[] Buffer, int Length)> _queue;
    private readonly Task<(long Bytes, string Digest)> _compressor;
    private bool _completed;

    public PushSizeStream(Stream inner)
    {
        _inner = inner;
        _queue = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true });
        _compressor = Task.Run(CompressAsync);
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        if (n > 0)
        {
            var copy = ArrayPool<byte>.Shared.Rent(n);
            buffer[..n].CopyTo(copy);
            while (!_queue.Writer.TryWrite((copy, n)))
            {
                _queue.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        return n;
    }

    /// <summary>Reads the rest of the layer, then waits for the compressor: returns gzip bytes and sha256 digest.</summary>
    public (long Bytes, string Digest) Complete()
    {
        if (!_completed)
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

            _queue.Writer.TryComplete();
            _completed = true;
        }

        return _compressor.GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _queue.Writer.TryComplete();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<(long, string)> CompressAsync()
    {
        using var counter = new HashingCountStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            await foreach (var (buffer, length) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                gzip.Write(buffer, 0, length);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return (counter.Count, "sha256:" + Convert.ToHexStringLower(counter.Hash()));
    }

    private sealed class HashingCountStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            Count += buffer.Length;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
