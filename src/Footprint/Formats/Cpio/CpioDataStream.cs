using Footprint.Formats.Compression;
using System.Buffers;

namespace Footprint.Formats.Cpio;

/// <summary>
/// The data of one cpio entry: exactly filesize bytes of the archive. For the crc format it sums the bytes (the
/// "check" field is the 32-bit sum of all data bytes) and verifies the sum when the last byte passes. A source that
/// ends early throws <see cref="FootprintFormatException"/>.
/// </summary>
internal sealed class CpioDataStream : ReadOnlyStream
{
    private const int DrainBufferBytes = 64 << 10;

    private readonly ByteSource _source;
    private readonly string _sourceName;
    private readonly string _entryName;
    private readonly long _headerOffset;
    private readonly uint? _expectedSum;
    private long _remaining;
    private uint _sum;
    private long _position;

    public CpioDataStream(ByteSource source, long length, string sourceName, string entryName, long headerOffset, uint? expectedSum)
    {
        _source = source;
        _remaining = length;
        _sourceName = sourceName;
        _entryName = entryName;
        _headerOffset = headerOffset;
        _expectedSum = expectedSum;
        if (length == 0)
        {
            VerifySum();
        }
    }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _remaining == 0)
        {
            return 0;
        }

        Span<byte> target = buffer[..(int)Math.Min(buffer.Length, _remaining)];
        int n = _source.Read(target);
        if (n == 0)
        {
            throw new FootprintFormatException(_sourceName, _source.Consumed,
                $"archive is truncated: data of '{_entryName}' ends {_remaining} bytes early");
        }

        if (_expectedSum is not null)
        {
            foreach (byte b in target[..n])
            {
                _sum += b;
            }
        }

        _remaining -= n;
        _position += n;
        if (_remaining == 0)
        {
            VerifySum();
        }

        return n;
    }

    /// <summary>Reads and discards what is left (verifying the crc sum).</summary>
    public void Drain()
    {
        if (_remaining == 0)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(DrainBufferBytes);
        try
        {
            while (Read(buffer) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void VerifySum()
    {
        if (_expectedSum is { } expected && expected != _sum)
        {
            throw new FootprintFormatException(_sourceName, _headerOffset,
                $"crc mismatch for '{_entryName}': header says 0x{expected:x8}, data sums to 0x{_sum:x8}");
        }
    }
}
