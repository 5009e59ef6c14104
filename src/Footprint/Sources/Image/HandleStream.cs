using Footprint.Formats;
using Microsoft.Win32.SafeHandles;

namespace Footprint.Sources.Image;

/// <summary>
/// A read-only, seekable window [start, start+length) of a file read by position (pread) through a shared handle.
/// Archive members are read this way so an unlinked spool file stays readable (it has no path), and so any number
/// of layers can be read in parallel from one handle. Never closes the handle: its <see cref="ArchiveIndex"/> does.
/// </summary>
internal sealed class HandleStream(SafeFileHandle handle, long start, long length) : ReadOnlyStream
{
    private long _position;

    public override bool CanSeek => true;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(Span<byte> buffer)
    {
        var remaining = length - _position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        if (buffer.Length > remaining)
        {
            buffer = buffer[..(int)remaining];
        }

        var n = RandomAccess.Read(handle, buffer, start + _position);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }
}
