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

    /// <summary>What the compressor is handed per write: the read-ahead's chunk, so local layers keep session 9's figures.</summary>
    private const int BlockBytes = 256 * 1024;

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
            // zlib-ng's deflate output depends on how its input is cut into writes (53 bytes of 2.78 MB on trivy's
            // alpine-310 layer), and reads are cut by whoever reads the layer (a registry stream, the read-ahead):
            // the compressor is always handed whole blocks of BlockBytes, so the figure depends on the bytes alone.
            var block = ArrayPool<byte>.Shared.Rent(BlockBytes);
            var filled = 0;
            try
            {
                await foreach (var (buffer, length) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    for (var at = 0; at < length;)
                    {
                        var n = Math.Min(length - at, BlockBytes - filled);
                        buffer.AsSpan(at, n).CopyTo(block.AsSpan(filled));
                        filled += n;
                        at += n;
                        if (filled == BlockBytes)
                        {
                            gzip.Write(block, 0, filled);
                            filled = 0;
                        }
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                }

                gzip.Write(block, 0, filled);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(block);
            }
        }

        return (counter.Count, counter.Digest());
    }
}
