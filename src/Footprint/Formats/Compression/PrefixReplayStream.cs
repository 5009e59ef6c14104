
namespace Footprint.Formats.Compression;

/// <summary>
/// Lets the first few bytes of a non-seekable stream be inspected, then replays them before the rest, so detection
/// by magic bytes works on pipes and network streams.
/// </summary>
internal sealed class PrefixReplayStream : ReadOnlyStream
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

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
