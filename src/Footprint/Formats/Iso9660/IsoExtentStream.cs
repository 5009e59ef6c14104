
namespace Footprint.Formats.Iso9660;

/// <summary>A seekable, read-only view of a file's extents, in order, as one stream. Reads seek the shared image stream.</summary>
internal sealed class IsoExtentStream : ReadOnlyStream
{
    private readonly IsoImage _image;
    private readonly string _path;
    private readonly IReadOnlyList<IsoExtent> _extents;
    private readonly long[] _starts;
    private readonly long _length;
    private long _position;

    public IsoExtentStream(IsoImage image, string path, IReadOnlyList<IsoExtent> extents, long length)
    {
        _image = image;
        _path = path;
        _extents = extents;
        _length = length;
        _starts = new long[extents.Count];
        long at = 0;
        for (int i = 0; i < extents.Count; i++)
        {
            IsoExtent e = extents[i];
            if (e.OffsetBytes + e.LengthBytes > image.LengthBytes)
            {
                throw image.Error(e.OffsetBytes, $"'/{path}': extent [{e.OffsetBytes}, {e.OffsetBytes + e.LengthBytes}) lies beyond the end of the image ({image.LengthBytes} bytes)");
            }

            _starts[i] = at;
            at += e.LengthBytes;
        }

        if (at < length)
        {
            throw image.Error(null, $"'/{path}': extents hold {at} bytes but the file has {length}");
        }
    }

    public override bool CanSeek => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.Length == 0)
        {
            return 0;
        }

        int index = Array.BinarySearch(_starts, _position);
        if (index < 0)
        {
            index = ~index - 1;
        }

        IsoExtent e = _extents[index];
        long within = _position - _starts[index];
        long available = Math.Min(e.LengthBytes - within, _length - _position);
        int want = (int)Math.Min(buffer.Length, available);
        int n = _image.Read(e.OffsetBytes + within, buffer[..want]);
        if (n < want)
        {
            throw _image.Error(e.OffsetBytes + within + n, $"'/{_path}': data ends early (image truncated)");
        }

        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }
}
