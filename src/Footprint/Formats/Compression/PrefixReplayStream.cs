namespace Footprint.Formats.Compression;

/// <summary>
/// Lets the first few bytes of a non-seekable stream be inspected, then replays them before the rest, so detection
/// by magic bytes works on pipes and network streams.
/// </summary>
internal sealed class PrefixReplayStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[] _prefix = [];
    private int _prefixPos;

    public PrefixReplayStream(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes (fewer only at end of input) and keeps them for replay.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        var buffer = new byte[count];
        int filled = _inner.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        _prefix = buffer[..filled];
        _prefixPos = 0;
        return _prefix;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPos < _prefix.Length)
        {
            int n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            return n;
        }

        return _inner.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
