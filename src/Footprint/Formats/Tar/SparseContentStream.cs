
namespace Footprint.Formats.Tar;

/// <summary>
/// Rebuilds the logical content of a sparse file from its stored segments: bytes of a segment come from the archive
/// in map order, holes between and after segments read as zeros, up to the real size.
/// </summary>
internal sealed class SparseContentStream : ReadOnlyStream
{
    private readonly GnuSparseMap _map;
    private readonly Stream _stored;
    private long _position;
    private int _segment;

    public SparseContentStream(GnuSparseMap map, Stream stored)
    {
        _map = map;
        _stored = stored;
    }

    public override long Length => _map.RealSizeBytes;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= _map.RealSizeBytes)
        {
            return 0;
        }

        List<(long Offset, long Length)> segments = _map.Segments;
        while (_segment < segments.Count && segments[_segment].Offset + segments[_segment].Length <= _position)
        {
            _segment++;
        }

        long holeEnd = _segment < segments.Count ? segments[_segment].Offset : _map.RealSizeBytes;
        int n;
        if (_position < holeEnd)
        {
            n = (int)Math.Min(buffer.Length, holeEnd - _position);
            buffer[..n].Clear();
        }
        else
        {
            (long offset, long length) = segments[_segment];
            n = _stored.Read(buffer[..(int)Math.Min(buffer.Length, offset + length - _position)]);
        }

        _position += n;
        return n;
    }
}
