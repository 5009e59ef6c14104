using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Footprint.Store;

/// <summary>
/// Reads a payload <see cref="PayloadWriter"/> made, after checking its checksum. Nothing read here sizes an
/// allocation beyond what is left of the payload: every count is checked against the bytes that remain (each item
/// takes at least one byte), every length against the remaining bytes, so a damaged row fails fast with
/// <see cref="CacheCorruptException"/> instead of allocating what it claims.
/// </summary>
internal ref struct PayloadReader
{
    public const int ChecksumBytes = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _body;
    private int _position;

    private PayloadReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _position = 0;
    }

    public readonly int Remaining => _body.Length - _position;

    /// <summary>Checks the checksum of a sealed payload and returns a reader over its body.</summary>
    public static PayloadReader Open(string context, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < ChecksumBytes)
        {
            throw new CacheCorruptException($"{context}: payload of {sealedBytes.Length} bytes is shorter than its checksum");
        }

        Span<byte> expected = stackalloc byte[ChecksumBytes];
        Checksum(context, sealedBytes[ChecksumBytes..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, sealedBytes[..ChecksumBytes]))
        {
            throw new CacheCorruptException($"{context}: payload checksum does not match its bytes");
        }

        return new PayloadReader(sealedBytes[ChecksumBytes..]);
    }

    internal static void Checksum(string context, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(context));
        hash.AppendData([0]);
        hash.AppendData(body);
        hash.GetHashAndReset(destination);
    }

    public byte Byte()
    {
        if (_position >= _body.Length)
        {
            throw Corrupt("ends early");
        }

        return _body[_position++];
    }

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw Corrupt($"boolean byte {b}"),
    };

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>A count of items that each take at least <paramref name="minItemBytes"/> bytes: bounded by what is left.</summary>
    public int Count(int minItemBytes = 1)
    {
        var value = Unsigned();
        if (value > (ulong)(Remaining / Math.Max(1, minItemBytes)))
        {
            throw Corrupt($"count {value} exceeds the {Remaining} bytes left");
        }

        return (int)value;
    }

    /// <summary>An id below <paramref name="limit"/>.</summary>
    public int Index(int limit)
    {
        var value = Unsigned();
        if (value >= (ulong)limit)
        {
            throw Corrupt($"index {value} is not below {limit}");
        }

        return (int)value;
    }

    /// <summary>A non-negative number (a size, an offset).</summary>
    public long Length()
    {
        var value = Unsigned();
        if (value > long.MaxValue)
        {
            throw Corrupt($"number {value} is out of range");
        }

        return (long)value;
    }

    public long Signed()
    {
        var v = Unsigned();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    public ReadOnlySpan<byte> Bytes() => Take(Count());

    public string String()
    {
        var bytes = Take(Count());
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt("string is not UTF-8");
        }
    }

    public string? OptionalString() => Bool() ? String() : null;

    /// <summary>A list <see cref="PayloadWriter.Strings"/> wrote.</summary>
    public string[] Strings()
    {
        var values = new string[Count()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = String();
        }

        return values;
    }

    /// <summary>A signed number that must fit 32 bits (the cache-rows fuzz target found a forged row overflowing the cast).</summary>
    public int SignedInt32(string what) => Int32(Signed(), what);

    /// <summary><paramref name="value"/>, already read, as a number that must fit 32 bits.</summary>
    public static int Int32(long value, string what)
        => value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new CacheCorruptException($"{what} {value} does not fit 32 bits");

    private ulong Unsigned()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Corrupt("number longer than 10 bytes");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw Corrupt($"needs {count} bytes, {Remaining} left");
        }

        var span = _body.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly CacheCorruptException Corrupt(string what) => new($"payload byte {_position}: {what}");
}
