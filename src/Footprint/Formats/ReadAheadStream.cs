using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Footprint.Formats;

/// <summary>
/// Reads the inner stream on a thread of its own, a few chunks ahead of the caller. A layer is decoded (inflate, its
/// gzip CRC, the stored blob's hash, the decompression guard) by that thread while the caller parses the tar, hashes the
/// uncompressed bytes and keeps what analyzers asked for: two cores instead of one for the one blob an image is often
/// made of. The caller sees exactly the bytes, in the order, and then the error, that reading the inner stream itself
/// would have given: a chunk cut short by an exception is handed over before the exception is rethrown.
/// The thread starts on the first read (a reader opened only to hash its blob never decodes it) and is stopped and
/// joined by <see cref="Dispose(bool)"/>; the inner stream is not touched by the thread after either returns, so the
/// owner may dispose it then. At most <see cref="Depth"/> chunks are in flight: memory does not depend on the input.
/// The chunks are this stream's own, passed back and forth, not rented from ArrayPool.Shared: the shared pool kept the
/// 256 KiB chunks it was handed back (seven after one Debian layer) on the large-object heap for the rest of the run;
/// these become garbage with the stream.
/// </summary>
public sealed class ReadAheadStream : ReadOnlyStream
{
    private const int ChunkBytes = 256 * 1024;
    private const int Depth = 4;

    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _chunks = new(Depth);
    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private ExceptionDispatchInfo? _error;
    private byte[]? _current;
    private int _currentLength;
    private int _currentOffset;
    private bool _ended;
    private bool _disposed;

    public ReadAheadStream(Stream inner) => _inner = inner;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_thread is null)
        {
            _thread = new Thread(Produce) { IsBackground = true, Name = "footprint read-ahead" };
            _thread.Start();
        }

        while (_current is null || _currentOffset == _currentLength)
        {
            ReturnCurrent();
            if (_ended)
            {
                return 0;
            }

            if (!_chunks.TryTake(out var chunk, Timeout.Infinite))
            {
                // The producer finished: everything it read has been handed over; now its error, if it had one.
                _ended = true;
                _thread.Join();
                _error?.Throw();
                return 0;
            }

            (_current, _currentLength, _currentOffset) = (chunk.Buffer, chunk.Length, 0);
        }

        var n = Math.Min(buffer.Length, _currentLength - _currentOffset);
        _current.AsSpan(_currentOffset, n).CopyTo(buffer);
        _currentOffset += n;
        return n;
    }

    private void Produce()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var buffer = _free.TryDequeue(out var reused) ? reused : new byte[ChunkBytes];
                var filled = 0;
                var end = false;
                try
                {
                    while (filled < ChunkBytes)
                    {
                        var n = _inner.Read(buffer, filled, ChunkBytes - filled);
                        if (n == 0)
                        {
                            end = true;
                            break;
                        }

                        filled += n;
                    }
                }
                catch (Exception e)
                {
                    // Hand over what was read before the failure first, as a direct read would have.
                    _error = ExceptionDispatchInfo.Capture(e);
                    end = true;
                }

                if (filled > 0)
                {
                    _chunks.Add((buffer, filled), token);
                }
                else
                {
                    _free.Enqueue(buffer);
                }

                if (end)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed while waiting for room: the reader is gone.
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    private void ReturnCurrent()
    {
        if (_current is not null)
        {
            _free.Enqueue(_current);
            _current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            _thread?.Join();
            ReturnCurrent();
            while (_chunks.TryTake(out _))
            {
            }

            _free.Clear();

            _chunks.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }
}
