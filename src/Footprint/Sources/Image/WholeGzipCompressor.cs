using System.Buffers;
using System.IO.Compression;
using System.Threading.Channels;

namespace Footprint.Sources.Image;

/// <summary>
/// Gzips a copy of every byte as one stream on a second thread (CompressionLevel.Optimal: zlib-ng level 6, what `gzip`
/// and registries' clients use by default). Used for layers small enough that sampling would read most of them anyway;
/// its digest is the digest of the stream a single-threaded gzip -6 makes, as before sampling existed.
/// </summary>
internal sealed class WholeGzipCompressor : IPushCompressor
{
    private const int MaxQueuedChunks = 16;

    private readonly Channel<(byte[] Buffer, int Length)> _queue;
    private readonly Task<(long Bytes, string Digest)> _compressor;

    public WholeGzipCompressor()
    {
        _queue = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true });
        _compressor = Task.Run(CompressAsync);
    }

    public void Accept(ReadOnlySpan<byte> bytes, long position)
    {
        var copy = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(copy);
        while (!_queue.Writer.TryWrite((copy, bytes.Length)))
        {
            _queue.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public PushSize Complete(long totalBytes)
    {
        _queue.Writer.TryComplete();
        var (bytes, digest) = _compressor.GetAwaiter().GetResult();
        return new PushSize(bytes, digest, Estimated: false, ErrorBoundBytes: 0, SampledBytes: totalBytes);
    }

    public void Dispose() => _queue.Writer.TryComplete();

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

        return (counter.Count, counter.Digest());
    }
}
