using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Threading.Channels;

namespace Footprint.Sources.Image;

/// <summary>
/// Gzips every byte on all cores, the way pigz does: the layer is cut into fixed chunks, each deflated on its own
/// with the 32 KiB before it as history (compressed first and flushed, so back-references may reach into it) and
/// ended by a sync flush, which byte-aligns the output; the chunks' deflate data, in order, between one gzip header
/// and trailer, is one valid gzip member. The chunk size is fixed, so the stream (and its digest) does not depend on
/// the number of cores. Used by `--exact-push-size` for layers too large for <see cref="WholeGzipCompressor"/>.
/// </summary>
internal sealed class ChunkedGzipCompressor : IPushCompressor
{
    internal const int ChunkBytes = 1 << 20;
    internal const int HistoryBytes = 32 << 10;

    private readonly Channel<Task<byte[]>> _pending;
    private readonly Task _writer;
    private readonly HashingCountStream _counter = new();
    private readonly Stream? _copy;
    private readonly Crc32 _crc = new();
    private byte[] _chunk;
    private int _historyLength;
    private int _filled;
    private bool _completed;

    /// <param name="copy">Receives the gzip stream too (tests check that it decompresses to the layer).</param>
    public ChunkedGzipCompressor(Stream? copy = null)
    {
        _copy = copy;
        _pending = Channel.CreateBounded<Task<byte[]>>(new BoundedChannelOptions(2 * Environment.ProcessorCount) { SingleReader = true, SingleWriter = true });
        _chunk = ArrayPool<byte>.Shared.Rent(HistoryBytes + ChunkBytes);
        Emit(GzipLevel6.Header);
        _writer = Task.Run(WriteInOrderAsync);
    }

    public void Accept(ReadOnlySpan<byte> bytes, long position)
    {
        _crc.Append(bytes);
        while (!bytes.IsEmpty)
        {
            if (_filled == ChunkBytes)
            {
                // More bytes follow, so this chunk is not the last one.
                Dispatch(last: false);
            }

            var n = Math.Min(bytes.Length, ChunkBytes - _filled);
            bytes[..n].CopyTo(_chunk.AsSpan(HistoryBytes + _filled));
            _filled += n;
            bytes = bytes[n..];
        }
    }

    public PushSize Complete(long totalBytes)
    {
        if (!_completed)
        {
            _completed = true;
            Dispatch(last: true);
            _pending.Writer.TryComplete();
        }

        _writer.GetAwaiter().GetResult();
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)totalBytes));
        Emit(trailer);
        return new PushSize(_counter.Count, _counter.Digest(), Estimated: false, ErrorBoundBytes: 0, SampledBytes: totalBytes);
    }

    public void Dispose()
    {
        _pending.Writer.TryComplete();
        try
        {
            _writer.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Disposing after a failure: the figure is not wanted any more.
        }

        ArrayPool<byte>.Shared.Return(_chunk);
        _counter.Dispose();
    }

    private void Dispatch(bool last)
    {
        var chunk = _chunk;
        var history = _historyLength;
        var length = _filled;

        // The next chunk's history is this chunk's last 32 KiB (copied before the task may return the array to the pool).
        var next = ArrayPool<byte>.Shared.Rent(HistoryBytes + ChunkBytes);
        _historyLength = Math.Min(HistoryBytes, history + length);
        chunk.AsSpan(HistoryBytes + length - _historyLength, _historyLength).CopyTo(next.AsSpan(HistoryBytes - _historyLength));
        _chunk = next;
        _filled = 0;

        var task = Task.Run(() =>
        {
            try
            {
                return Deflate(chunk, history, length, last);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        });
        while (!_pending.Writer.TryWrite(task))
        {
            _pending.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }

    }

    /// <summary>Deflate data of <paramref name="length"/> bytes at HistoryBytes, after the history that precedes them.</summary>
    private static byte[] Deflate(byte[] chunk, int history, int length, bool last)
    {
        using var output = new MemoryStream((length / 2) + 4096);
        long start = 0;
        using (var deflate = new DeflateStream(output, GzipLevel6.Options, leaveOpen: true))
        {
            if (history > 0)
            {
                deflate.Write(chunk, HistoryBytes - history, history);
                deflate.Flush();
                start = output.Length;
            }

            deflate.Write(chunk, HistoryBytes, length);
            if (!last)
            {
                // Sync flush: the block ends, then an empty stored block aligns to a byte; no final-block bit.
                deflate.Flush();
                return output.GetBuffer().AsSpan((int)start, (int)(output.Length - start)).ToArray();
            }
        }

        return output.GetBuffer().AsSpan((int)start, (int)(output.Length - start)).ToArray();
    }

    private async Task WriteInOrderAsync()
    {
        await foreach (var task in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Emit(await task.ConfigureAwait(false));
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _counter.Write(bytes);
        _copy?.Write(bytes);
    }
}
