using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Footprint.Store;

/// <summary>
/// Builds one cache payload: little-endian integers, LEB128 lengths, strict UTF-8 strings. <see cref="Seal"/> puts a
/// SHA-256 of (what the row is, the body) in front, so a flipped byte, a truncated row or a row copied under another
/// key is caught by <see cref="PayloadReader.Open"/>.
/// </summary>
internal sealed class PayloadWriter
{
    /// <summary>Throws on a string with a lone surrogate: such a name is not cached rather than stored changed.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[4096];
    private int _length;

    public int Length => _length;

    public void Byte(byte value) => Span(1)[0] = value;

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), value);

    /// <summary>A count, an id or a length (unsigned LEB128).</summary>
    public void Count(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var v = (ulong)value;
        while (v >= 0x80)
        {
            Byte((byte)(v | 0x80));
            v >>= 7;
        }

        Byte((byte)v);
    }

    /// <summary>A signed number that is usually small (zig-zag LEB128).</summary>
    public void Signed(long value) => Count64((ulong)((value << 1) ^ (value >> 63)));

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Count(value.Length);
        value.CopyTo(Span(value.Length));
    }

    public void String(string value)
    {
        var bytes = StrictUtf8.GetByteCount(value);
        Count(bytes);
        StrictUtf8.GetBytes(value, Span(bytes));
    }

    public void Strings(IReadOnlyList<string> values)
    {
        Count(values.Count);
        foreach (var v in values)
        {
            String(v);
        }
    }

    public void OptionalString(string? value)
    {
        Bool(value is not null);
        if (value is not null)
        {
            String(value);
        }
    }

    /// <summary>The finished payload: SHA-256(<paramref name="context"/> || body) followed by the body.</summary>
    public byte[] Seal(string context)
    {
        var sealedBytes = new byte[PayloadReader.ChecksumBytes + _length];
        _buffer.AsSpan(0, _length).CopyTo(sealedBytes.AsSpan(PayloadReader.ChecksumBytes));
        PayloadReader.Checksum(context, sealedBytes.AsSpan(PayloadReader.ChecksumBytes), sealedBytes.AsSpan(0, PayloadReader.ChecksumBytes));
        return sealedBytes;
    }

    private void Count64(ulong v)
    {
        while (v >= 0x80)
        {
            Byte((byte)(v | 0x80));
            v >>= 7;
        }

        Byte((byte)v);
    }

    private Span<byte> Span(int size)
    {
        if (_length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        }

        var span = _buffer.AsSpan(_length, size);
        _length += size;
        return span;
    }

    /// <summary>SHA-256 of a content blob, the key it is stored under.</summary>
    public static byte[] ContentKey(ReadOnlySpan<byte> content) => SHA256.HashData(content);
}
