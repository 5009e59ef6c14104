
namespace Footprint.Formats.Compression;

/// <summary>
/// Passes a <see cref="ByteSource"/> through to a decoder that reads exactly what it needs (xz, lzma, bzip2) and
/// records whether the decoder asked for bytes past the end of input. SharpCompress's LzmaStream simply stops when
/// its input runs dry, so a truncated lzma segment is only recognisable this way: a complete stream ends at its end
/// marker without reading further. Disposing it leaves the source open, so one source can feed decoders in turn.
/// </summary>
internal sealed class EndProbeStream : ReadOnlyStream
{
    private readonly ByteSource _source;

    public EndProbeStream(ByteSource source) => _source = source;

    public bool ReadPastEnd { get; private set; }

    public override long Position
    {
        get => _source.Consumed;
        set => throw new NotSupportedException();
    }

    public override int ReadByte()
    {
        int b = _source.ReadByte();
        ReadPastEnd |= b < 0;
        return b;
    }

    public override int Read(Span<byte> buffer)
    {
        int n = _source.Read(buffer);
        ReadPastEnd |= n == 0 && !buffer.IsEmpty;
        return n;
    }
}
