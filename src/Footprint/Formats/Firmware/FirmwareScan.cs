using System.Buffers.Binary;
using System.IO.Hashing;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Iso9660;
using Footprint.Formats.Squashfs;

namespace Footprint.Formats.Firmware;

/// <summary>
/// One pass of <see cref="FirmwareScanner.Scan"/>: a sliding window over the image and, at each offset, one check per
/// magic. What a part is and how long it says it is comes from a carver per format (<see cref="UImageCarver"/>,
/// <see cref="TrxCarver"/>, <see cref="TpLinkCarver"/>, <see cref="SysupgradeTrailerCarver"/>, <see cref="Jffs2Carver"/>,
/// <see cref="BzImageCarver"/>, <see cref="ExtCarver"/>), and for the formats Footprint has readers for, from those
/// readers' own probes (<see cref="FileSystemCarver"/>, <see cref="CompressedStreamCarver"/>). This class keeps the
/// parts found, which bytes are already accounted for, and the budget of bytes CRC-checked.
/// </summary>
internal sealed class FirmwareScan
{
    private const int WindowBytes = 1 << 20;
    private const int LookaheadBytes = 1 << 10;

    /// <summary>A run of one fill byte (0x00 or 0xFF) at least this long is reported as "padding".</summary>
    private const int MinPaddingBytes = 4096;

    /// <summary>Total bytes CRC-checked for uImage/TRX payloads, as a multiple of the image size (keeps hostile stacks linear).</summary>
    private const int CrcBudgetImages = 4;

    private readonly byte[] _window = new byte[WindowBytes + LookaheadBytes];
    private readonly List<Found> _parts = [];
    private readonly Dictionary<long, long> _boundsFromContainers = [];
    private long _windowStart;
    private int _windowCount;
    private long _crcBudget;

    public FirmwareScan(Stream stream, string sourceName)
    {
        Stream = stream;
        SourceName = sourceName;
        Length = stream.Length;
        _crcBudget = Length * CrcBudgetImages;
    }

    /// <summary>The image, seekable.</summary>
    public Stream Stream { get; }

    /// <summary>Named in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The image's length.</summary>
    public long Length { get; }

    /// <summary>End of the last part whose bytes are not scanned: a part starting before it is not reported.</summary>
    public long SkipEnd { get; private set; }

    private sealed class Found(long offset, long length, bool bounded, string type, string description, Dictionary<string, string> details)
    {
        public long Offset { get; } = offset;

        public long Length { get; set; } = length;

        public bool Bounded { get; } = bounded;

        public string Type { get; } = type;

        public string Description { get; } = description;

        public Dictionary<string, string> Details { get; } = details;
    }

    public IReadOnlyList<FirmwarePart> Run()
    {
        long scanEnd = SysupgradeTrailerCarver.ScanEnd(this);
        long pos = 0;
        while (pos < scanEnd)
        {
            long next = TryAt(pos, scanEnd);
            pos = next > pos ? next : pos + 1;
        }

        List<Found> sorted = [.. _parts.OrderBy(p => p.Offset).ThenBy(p => p.Type, StringComparer.Ordinal)];
        var result = new List<FirmwarePart>(sorted.Count);
        for (int i = 0; i < sorted.Count; i++)
        {
            Found p = sorted[i];
            if (!p.Bounded)
            {
                long end = Length;
                for (int j = i + 1; j < sorted.Count; j++)
                {
                    if (sorted[j].Offset > p.Offset)
                    {
                        end = sorted[j].Offset;
                        break;
                    }
                }

                p.Length = end - p.Offset;
                p.Details["bounded"] = "false";
            }

            result.Add(new FirmwarePart(p.Offset, p.Length, p.Type, p.Description, p.Details));
        }

        return result;
    }

    /// <summary>The bytes at [pos, pos + count), or fewer at the end of the image. Valid until the next call.</summary>
    public ReadOnlySpan<byte> Peek(long pos, int count)
    {
        if (pos < 0 || pos >= Length)
        {
            return [];
        }

        if (pos < _windowStart || pos + count > _windowStart + _windowCount)
        {
            if (pos + count > _windowStart + _windowCount && _windowStart + _windowCount >= Length && pos >= _windowStart)
            {
                return _window.AsSpan((int)(pos - _windowStart), (int)(_windowStart + _windowCount - pos));
            }

            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _window.Length);

            _windowStart = pos;
            Stream.Position = pos;
            _windowCount = Stream.ReadAtLeast(_window, (int)Math.Min(_window.Length, Length - pos), throwOnEndOfStream: false);
        }

        int available = (int)Math.Min(count, _windowStart + _windowCount - pos);
        return _window.AsSpan((int)(pos - _windowStart), Math.Max(0, available));
    }

    /// <summary>Reads [pos, pos + count) outside the window (headers found by a magic further on).</summary>
    public byte[] ReadAt(long pos, int count)
    {
        if (pos < 0 || pos >= Length)
        {
            return [];
        }

        byte[] buffer = new byte[(int)Math.Min(count, Length - pos)];
        Stream.Position = pos;
        int n = Stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    /// <summary>Checks every magic at <paramref name="pos"/>; returns where scanning resumes (pos + 1 when nothing is there).</summary>
    private long TryAt(long pos, long scanEnd)
    {
        ReadOnlySpan<byte> b = Peek(pos, 16);
        if (b.Length < 4)
        {
            return pos + 1;
        }

        // Magics found at a fixed distance into the part: the part started earlier.
        if (b[0] == (byte)'H' && b[..4].SequenceEqual("HdrS"u8) && pos >= BzImageCarver.MagicOffset)
        {
            BzImageCarver.TryAt(this, pos - BzImageCarver.MagicOffset, scanEnd);
        }
        else if (b[0] == (byte)'C' && b.StartsWith(IsoProbe.Magic) && pos >= IsoProbe.MagicOffset)
        {
            if (FileSystemCarver.TryIso(this, pos - IsoProbe.MagicOffset, scanEnd) is { } isoEnd)
            {
                return isoEnd;
            }
        }
        else if (b[0] == 0x53 && b[1] == 0xEF && pos >= ExtCarver.MagicOffset && (pos - ExtCarver.MagicOffset) % 512 == 0)
        {
            if (ExtCarver.TryAt(this, pos - ExtCarver.MagicOffset, scanEnd) is { } extEnd)
            {
                return extEnd;
            }
        }

        // The first byte picks the one or two checks worth making; each carver or probe then checks in full.
        uint be = BinaryPrimitives.ReadUInt32BigEndian(b);
        long? resume = b[0] switch
        {
            0x27 when be == UImageCarver.Magic => UImageCarver.TryAt(this, pos, scanEnd),
            (byte)'H' when be == TrxCarver.Magic => TrxCarver.TryAt(this, pos, scanEnd),
            0x01 when be == TpLinkCarver.Version1 => TpLinkCarver.TryAt(this, pos, scanEnd),
            (byte)'h' or (byte)'s' when SquashfsReader.HasMagic(b) => FileSystemCarver.TrySquashfs(this, pos, scanEnd),
            0x85 when b[1] == 0x19 => Jffs2Carver.TryAt(this, pos, scanEnd, littleEndian: true),
            0x19 when b[1] == 0x85 => Jffs2Carver.TryAt(this, pos, scanEnd, littleEndian: false),
            0xDE when be == Jffs2Carver.EndOfFilesystemMarker && pos % Jffs2Carver.EraseBlockAlignBytes == 0 => Jffs2Carver.AddMarker(this, pos),
            0x1F when CompressionProbe.IsGzipDeflate(b) => CompressedStreamCarver.TryGzip(this, pos, scanEnd),
            0xFD when CompressionProbe.IsXz(b) => CompressedStreamCarver.TryXz(this, pos),
            (byte)'0' when CpioReader.HasMagic(b) => FileSystemCarver.TryCpio(this, pos, scanEnd),
            0xEB or 0xE9 when pos % 512 == 0 => FileSystemCarver.TryFat(this, pos, scanEnd),
            _ => null,
        };
        if (resume is { } r)
        {
            return r;
        }

        if (b[0] is 0x00 or 0xFF)
        {
            return Padding(pos, scanEnd, b[0]);
        }

        if (CompressionProbe.HasLzmaAloneProperties(b))
        {
            return CompressedStreamCarver.TryLzma(this, pos, scanEnd) ?? pos + 1;
        }

        return pos + 1;
    }

    /// <summary>
    /// Records a part. Returns where scanning resumes when the part is bounded and skipped (its end), else -1 (also when
    /// the part lies inside one already skipped and is not reported).
    /// </summary>
    public long Add(long offset, long length, bool bounded, string type, string description, Dictionary<string, string> details, bool skip)
    {
        // A part whose magic is found further in (ISO 9660, ext, bzImage) may start inside the padding before it
        // (ISO 9660's 32 KiB system area is zeros): the padding ends where the part starts.
        if (_parts.Count > 0 && _parts[^1].Type == "padding" && _parts[^1].Offset <= offset && _parts[^1].Offset + _parts[^1].Length > offset)
        {
            Found pad = _parts[^1];
            if (SkipEnd == pad.Offset + pad.Length)
            {
                SkipEnd = offset;
            }

            pad.Length = offset - pad.Offset;
            if (pad.Length < MinPaddingBytes)
            {
                _parts.RemoveAt(_parts.Count - 1);
            }
        }

        if (offset < SkipEnd)
        {
            return -1; // inside a part already bounded: not reported
        }

        if (!bounded && _boundsFromContainers.TryGetValue(offset, out long bound))
        {
            length = bound;
            bounded = true;
            skip = true;
            details["bounded_by"] = "container";
        }

        _parts.Add(new Found(offset, length, bounded, type, description, details));
        if (skip && bounded)
        {
            SkipEnd = offset + length;
            return offset + length;
        }

        return -1;
    }

    /// <summary>Where scanning resumes: after the part <see cref="Add"/> skipped, else <paramref name="fallback"/>.</summary>
    public static long? Resume(long added, long fallback) => added > 0 ? added : fallback;

    /// <summary>Records a trailer found before the scan (sysupgrade metadata); trailers are never skipped over.</summary>
    public void AddTrailer(long offset, long length, string type, string description, Dictionary<string, string> details)
        => _parts.Add(new Found(offset, length, true, type, description, details));

    /// <summary>A container's header bounds the part that starts at <paramref name="offset"/> (the first bound stays).</summary>
    public void BoundFromContainer(long offset, long length) => _boundsFromContainers.TryAdd(offset, length);

    /// <summary>The bound an enclosing container gave the part at <paramref name="offset"/>, if any.</summary>
    public bool TryGetContainerBound(long offset, out long length) => _boundsFromContainers.TryGetValue(offset, out length);

    /// <summary>True, and the budget is spent, when <paramref name="bytes"/> more may be CRC-checked.</summary>
    public bool TrySpendCrcBudget(long bytes)
    {
        if (bytes > _crcBudget)
        {
            return false;
        }

        _crcBudget -= bytes;
        return true;
    }

    // --- padding -----------------------------------------------------------------------------------------------------

    private long Padding(long pos, long scanEnd, byte fill)
    {
        long end = pos;
        while (end < scanEnd)
        {
            ReadOnlySpan<byte> w = Peek(end, (int)Math.Min(64 << 10, scanEnd - end));
            int differs = w.IndexOfAnyExcept(fill);
            if (differs >= 0)
            {
                end += differs;
                break;
            }

            end += w.Length;
            if (w.Length == 0)
            {
                break;
            }
        }

        long run = end - pos;
        if (run >= MinPaddingBytes)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["fill"] = FirmwareText.Hex(fill) };
            long r = Add(pos, run, true, "padding", $"padding, {run} bytes of {d["fill"]}", d, skip: true);
            return r > 0 ? r : pos + Math.Max(1, run);
        }

        return pos + Math.Max(1, run);
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    /// <summary>Drops parts found inside a part whose magic is only seen further in (ISO 9660's system area, ext's boot block).</summary>
    public void RemoveFoundFrom(long start)
    {
        if (start < SkipEnd)
        {
            return;
        }

        _parts.RemoveAll(p => p.Offset >= start && p.Type != "padding" && p.Type != "sysupgrade-metadata");
    }

    /// <summary>The zlib CRC-32 (as gzip, PNG and U-Boot's image.h compute it) of [start, start + length).</summary>
    public uint Crc(long start, long length)
    {
        byte[] buffer = new byte[64 << 10];
        var crc = new Crc32();
        Stream.Position = start;
        long left = length;
        while (left > 0)
        {
            int n = Stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0)
            {
                throw new FootprintFormatException(SourceName, start + length - left, "the image ended while checking a CRC");
            }

            crc.Append(buffer.AsSpan(0, n));
            left -= n;
        }

        return crc.GetCurrentHashAsUInt32();
    }
}
