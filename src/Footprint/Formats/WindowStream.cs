namespace Footprint.Formats;

/// <summary>
/// A read-only window [start, start+length) of a seekable stream, clamped to the stream's end: a member of an uncompressed
/// archive read in place, a part carved out of a firmware image, a squashfs inside a medium.
/// </summary>
internal sealed class WindowStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _start;
    private readonly long _length;
    private readonly bool _leaveOpen;
    private long _position;

    /// <param name="inner">A seekable stream.</param>
    /// <param name="start">Offset of the window in it.</param>
    /// <param name="length">Bytes in the window (fewer when the stream ends first).</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when the window is disposed.</param>
    public WindowStream(Stream inner, long start, long length, bool leaveOpen = false)
    {
        _inner = inner;
        _start = start;
        _length = Math.Max(0, Math.Min(length, inner.Length - start));
        _leaveOpen = leaveOpen;
    }

    public override bool CanSeek => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(Span<byte> buffer)
    {
        var remaining = _length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        if (buffer.Length > remaining)
        {
            buffer = buffer[..(int)remaining];
        }

        _inner.Position = _start + _position;
        var n = _inner.Read(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
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
