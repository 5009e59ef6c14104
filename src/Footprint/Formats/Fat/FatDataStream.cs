
namespace Footprint.Formats.Fat;

/// <summary>A file's bytes: its clusters in chain order, cut at DIR_FileSize. Read-only, forward and seekable.</summary>
internal sealed class FatDataStream : ReadOnlyStream
{
    private readonly FatReader _reader;
    private readonly List<uint> _chain;
    private readonly long _length;
    private long _position;

    public FatDataStream(FatReader reader, List<uint> chain, long length)
    {
        _reader = reader;
        _chain = chain;
        _length = length;
    }

    public override bool CanSeek => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        int clusterBytes = _reader.ClusterBytes;
        int index = (int)(_position / clusterBytes);
        int within = (int)(_position % clusterBytes);
        int n = (int)Math.Min(Math.Min(buffer.Length, clusterBytes - within), _length - _position);
        _reader.ReadAt(_reader.ClusterOffset(_chain[index]) + within, buffer[..n], $"data cluster {_chain[index]}");
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
}
