namespace Footprint.Formats.Iso9660;

/// <summary>Random access to the image bytes, with every short read turned into a <see cref="FootprintFormatException"/>.</summary>
internal sealed class IsoImage
{
    private readonly Stream _stream;

    public IsoImage(Stream stream, string sourceName)
    {
        _stream = stream;
        SourceName = sourceName;
        LengthBytes = stream.Length;
    }

    public string SourceName { get; }

    public long LengthBytes { get; }

    /// <summary>The logical block size from the primary volume descriptor (2048 until it is read).</summary>
    public int BlockSize { get; set; } = IsoConstants.SectorBytes;

    public Stream Stream => _stream;

    public FootprintFormatException Error(long? offset, string message) => new(SourceName, offset, message);

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/>; the range is checked against the image length first.</summary>
    public byte[] ReadExactly(long offset, int count, string what)
    {
        if (offset < 0 || count < 0 || offset > LengthBytes || count > LengthBytes - offset)
        {
            throw Error(offset, $"{what} ({count} bytes) lies beyond the end of the image ({LengthBytes} bytes)");
        }

        byte[] buffer = new byte[count];
        if (Read(offset, buffer) != count)
        {
            throw Error(offset, $"{what}: image truncated (short read)");
        }

        return buffer;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; returns the bytes read.</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        _stream.Position = offset;
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
