
namespace Footprint.Formats.Compression;

/// <summary>
/// A forward-only buffered reader over any stream that counts the bytes handed out (<see cref="Position"/>), lets the
/// next bytes be inspected (<see cref="Peek"/>) and lets bytes be pushed back (<see cref="Unread"/>). The initramfs
/// reader needs all three: the kernel chooses what follows by the next byte (zero padding, '0' of a cpio magic, or a
/// compression magic), and decoders that read ahead (DeflateStream) hand back what belongs to the next segment.
/// </summary>
internal sealed class ByteSource : ReadOnlyStream
{
    private const int BufferBytes = 64 << 10;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private bool _eof;

    public ByteSource(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes handed out so far (minus those pushed back).</summary>
    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    public long Consumed { get; private set; }

    /// <summary>The next up to <paramref name="count"/> bytes without consuming them; shorter only at end of input.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        Fill(count);
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    /// <summary>True when no byte is left.</summary>
    public bool AtEnd => Peek(1).IsEmpty;

    /// <summary>Consumes bytes that <see cref="Peek"/> showed.</summary>
    public void Skip(int count)
    {
        if (count > _end - _start)
        {
            throw new InvalidOperationException("skip beyond peeked bytes");
        }

        _start += count;
        Consumed += count;
    }

    /// <summary>Puts bytes back in front of the unread ones (they are read again next).</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        int remaining = _end - _start;
        var merged = new byte[Math.Max(BufferBytes, bytes.Length + remaining)];
        bytes.CopyTo(merged);
        _buffer.AsSpan(_start, remaining).CopyTo(merged.AsSpan(bytes.Length));
        _buffer = merged;
        _start = 0;
        _end = bytes.Length + remaining;
        Consumed -= bytes.Length;
    }

    public override int ReadByte()
    {
        if (_start == _end && !Fill(1))
        {
            return -1;
        }

        Consumed++;
        return _buffer[_start++];
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_start == _end)
        {
            if (buffer.Length >= _buffer.Length && !_eof)
            {
                int direct = _inner.Read(buffer);
                if (direct == 0)
                {
                    _eof = true;
                }

                Consumed += direct;
                return direct;
            }

            if (!Fill(1))
            {
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        Consumed += n;
        return n;
    }

    /// <summary>Ensures at least <paramref name="count"/> bytes are buffered unless the input ends first.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (count > _buffer.Length)
        {
            Array.Resize(ref _buffer, count);
        }

        while (_end < count && !_eof)
        {
            int n = _inner.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        return _end - _start >= count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
