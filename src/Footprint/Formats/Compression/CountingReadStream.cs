namespace Footprint.Formats.Compression;

/// <summary>Counts the compressed bytes a decompressor pulls, for the bomb ratio and for error offsets.</summary>
internal sealed class CountingReadStream : Stream
{
    private readonly Stream _inner;

    public CountingReadStream(Stream inner) => _inner = inner;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        BytesRead += n;
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    // Some decompressors (bzip2) pull single bytes; the inner BufferedStream serves those from memory.
    public override int ReadByte()
    {
        int b = _inner.ReadByte();
        if (b >= 0)
        {
            BytesRead++;
        }

        return b;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
