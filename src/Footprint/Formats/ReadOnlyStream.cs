namespace Footprint.Formats;

/// <summary>
/// The base of every read-only stream the readers hand out (entry data, decompressors, windows on an image): readable,
/// never writable, and by default neither seekable nor sized, so a subclass only writes <see cref="Read(Span{byte})"/>
/// and overrides <see cref="CanSeek"/>, <see cref="Length"/>, <see cref="Position"/> and <see cref="Seek"/> where it
/// really supports them. <see cref="Flush"/> does nothing (a read-only stream has nothing to flush, and callers such as
/// a disposing wrapper may flush it); writing or setting the length throws <see cref="NotSupportedException"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public sealed override bool CanRead => true;

    public override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
