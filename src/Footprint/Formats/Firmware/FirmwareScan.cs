using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using System.Text.Json;
using SharpCompress.Compressors.LZMA;

namespace Footprint.Formats.Firmware;

/// <summary>One pass of <see cref="FirmwareScanner.Scan"/>: a sliding window over the image and one check per magic.</summary>
internal sealed class FirmwareScan
{
    public const uint UImageMagic = 0x27051956;

    private const int UImageHeaderBytes = 64;
    private const int TpLinkHeaderBytes = 0x200;

    /// <summary>mktplinkfw's HEADER_VERSION_V1, stored big-endian: the image starts 01 00 00 00.</summary>
    private const uint TpLinkVersion1 = 0x01000000;
    private const int WindowBytes = 1 << 20;
    private const int LookaheadBytes = 1 << 10;

    /// <summary>A run of one fill byte (0x00 or 0xFF) at least this long is reported as "padding".</summary>
    private const int MinPaddingBytes = 4096;

    /// <summary>OpenWrt's end-of-filesystem marker sits on an erase-block boundary; 4 KiB is the smallest erase block.</summary>
    private const int EraseBlockAlignBytes = 4096;

    /// <summary>Bytes a compressed-stream candidate must decode to without error to be believed.</summary>
    private const int TrialDecodeBytes = 16 << 10;

    /// <summary>Total bytes CRC-checked for uImage/TRX payloads, as a multiple of the image size (keeps hostile stacks linear).</summary>
    private const int CrcBudgetImages = 4;

    /// <summary>LZMA dictionaries above this are not believed (lzma -9 uses 64 MiB); the decoder allocates the dictionary.</summary>
    private const uint MaxLzmaDictionaryBytes = 64u << 20;

    private const int MaxTrailerBlocks = 8;
    private const int MaxJsonBytes = 1 << 20;

    private static readonly string[] UImageOs = ["invalid", "openbsd", "netbsd", "freebsd", "4_4bsd", "linux", "svr4", "esix", "solaris", "irix", "sco", "dell", "ncr", "lynxos", "vxworks", "psos", "qnx", "u-boot", "rtems", "artos", "unity", "integrity", "ose", "plan9", "openrtos", "arm-trusted-firmware", "tee", "opensbi", "efi"];
    private static readonly string[] UImageArch = ["invalid", "alpha", "arm", "x86", "ia64", "mips", "mips64", "powerpc", "s390", "sh", "sparc", "sparc64", "m68k", "nios", "microblaze", "nios2", "blackfin", "avr32", "st200", "sandbox", "nds32", "openrisc", "arm64", "arc", "x86_64", "xtensa", "riscv"];
    private static readonly string[] UImageType = ["invalid", "standalone", "kernel", "ramdisk", "multi", "firmware", "script", "filesystem", "flat_dt", "kwbimage", "imximage", "ubl", "omapimage", "aisimage", "kernel_noload"];
    private static readonly string[] UImageComp = ["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];
    private static readonly string[] SquashfsComp = ["unknown", "gzip", "lzma", "lzo", "xz", "lz4", "zstd"];

    private readonly Stream _stream;
    private readonly string _sourceName;
    private readonly long _length;
    private readonly byte[] _window = new byte[WindowBytes + LookaheadBytes];
    private readonly List<Found> _parts = [];
    private readonly Dictionary<long, long> _boundsFromContainers = [];
    private long _windowStart;
    private int _windowCount;
    private long _skipEnd; // end of the last part whose bytes are not scanned
    private long _crcBudget;

    public FirmwareScan(Stream stream, string sourceName)
    {
        _stream = stream;
        _sourceName = sourceName;
        _length = stream.Length;
        _crcBudget = _length * CrcBudgetImages;
    }

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
        long scanEnd = ScanTrailers();
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
                long end = _length;
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
    private ReadOnlySpan<byte> Peek(long pos, int count)
    {
        if (pos < 0 || pos >= _length)
        {
            return [];
        }

        if (pos < _windowStart || pos + count > _windowStart + _windowCount)
        {
            if (pos + count > _windowStart + _windowCount && _windowStart + _windowCount >= _length && pos >= _windowStart)
            {
                return _window.AsSpan((int)(pos - _windowStart), (int)(_windowStart + _windowCount - pos));
            }

            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _window.Length);

            _windowStart = pos;
            _stream.Position = pos;
            _windowCount = _stream.ReadAtLeast(_window, (int)Math.Min(_window.Length, _length - pos), throwOnEndOfStream: false);
        }

        int available = (int)Math.Min(count, _windowStart + _windowCount - pos);
        return _window.AsSpan((int)(pos - _windowStart), Math.Max(0, available));
    }

    /// <summary>Reads [pos, pos + count) outside the window (headers found by a magic further on).</summary>
    private byte[] ReadAt(long pos, int count)
    {
        if (pos < 0 || pos >= _length)
        {
            return [];
        }

        byte[] buffer = new byte[(int)Math.Min(count, _length - pos)];
        _stream.Position = pos;
        int n = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
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
        if (b[0] == (byte)'H' && b[..4].SequenceEqual("HdrS"u8) && pos >= 0x202)
        {
            TryBzImage(pos - 0x202, scanEnd);
        }
        else if (b[0] == (byte)'C' && b.Length >= 5 && b[..5].SequenceEqual("CD001"u8) && pos >= 0x8001)
        {
            if (TryIso(pos - 0x8001, scanEnd) is { } isoEnd)
            {
                return isoEnd;
            }
        }
        else if (b[0] == 0x53 && b[1] == 0xEF && pos >= 1080 && (pos - 1080) % 512 == 0)
        {
            if (TryExt(pos - 1080, scanEnd) is { } extEnd)
            {
                return extEnd;
            }
        }

        uint be = BinaryPrimitives.ReadUInt32BigEndian(b);
        long? resume = b[0] switch
        {
            0x27 when be == UImageMagic => TryUImage(pos, scanEnd),
            (byte)'H' when be == 0x48445230 => TryTrx(pos, scanEnd),
            0x01 when be == TpLinkVersion1 => TryTpLink(pos, scanEnd),
            (byte)'h' when be == 0x68737173 => TrySquashfs(pos, scanEnd, littleEndian: true),
            (byte)'s' when be == 0x73717368 => TrySquashfs(pos, scanEnd, littleEndian: false),
            0x85 when b[1] == 0x19 => TryJffs2(pos, scanEnd, littleEndian: true),
            0x19 when b[1] == 0x85 => TryJffs2(pos, scanEnd, littleEndian: false),
            0xDE when be == 0xDEADC0DE && pos % EraseBlockAlignBytes == 0 => AddMarker(pos),
            0x1F when b[1] == 0x8B && b[2] == 8 => TryGzip(pos, scanEnd),
            0xFD when b.Length >= 12 && b[..6].SequenceEqual((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) => TryXz(pos, scanEnd),
            (byte)'0' when b.Length >= 6 && b[..5].SequenceEqual("07070"u8) && b[5] is (byte)'1' or (byte)'2' or (byte)'7' => TryCpio(pos, scanEnd),
            0xEB or 0xE9 when pos % 512 == 0 => TryFat(pos, scanEnd),
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

        if (b[0] < 225 && b.Length >= 13)
        {
            return TryLzma(pos, scanEnd) ?? pos + 1;
        }

        return pos + 1;
    }

    private long Add(long offset, long length, bool bounded, string type, string description, Dictionary<string, string> details, bool skip)
    {
        // A part whose magic is found further in (ISO 9660, ext, bzImage) may start inside the padding before it
        // (ISO 9660's 32 KiB system area is zeros): the padding ends where the part starts.
        if (_parts.Count > 0 && _parts[^1].Type == "padding" && _parts[^1].Offset <= offset && _parts[^1].Offset + _parts[^1].Length > offset)
        {
            Found pad = _parts[^1];
            if (_skipEnd == pad.Offset + pad.Length)
            {
                _skipEnd = offset;
            }

            pad.Length = offset - pad.Offset;
            if (pad.Length < MinPaddingBytes)
            {
                _parts.RemoveAt(_parts.Count - 1);
            }
        }

        if (offset < _skipEnd)
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
            _skipEnd = offset + length;
            return offset + length;
        }

        return -1;
    }

    private static long? Resume(long added, long fallback) => added > 0 ? added : fallback;

    // --- uImage (U-Boot include/image.h, legacy image_header_t, all fields big-endian) ------------------------------

    private long? TryUImage(long pos, long scanEnd)
    {
        byte[] h = ReadAt(pos, UImageHeaderBytes);
        if (h.Length < UImageHeaderBytes)
        {
            return null;
        }

        uint hcrc = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(4));
        byte[] zeroed = (byte[])h.Clone();
        zeroed.AsSpan(4, 4).Clear();
        if (Crc32.HashToUInt32(zeroed) != hcrc)
        {
            return null;
        }

        uint size = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(12));
        long dataStart = pos + UImageHeaderBytes;
        long available = scanEnd - dataStart;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = CString(h.AsSpan(32, 32)),
            ["os"] = Name(UImageOs, h[28]),
            ["arch"] = Name(UImageArch, h[29]),
            ["type"] = Name(UImageType, h[30]),
            ["compression"] = Name(UImageComp, h[31]),
            ["load_address"] = Hex(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16))),
            ["entry_address"] = Hex(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(20))),
            ["data_size"] = size.ToString(CultureInfo.InvariantCulture),
            ["created"] = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(8))).ToString("u", CultureInfo.InvariantCulture),
        };
        uint dcrc = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(24));
        if (size > available)
        {
            d["data_crc"] = "truncated";
        }
        else if (size > _crcBudget)
        {
            d["data_crc"] = "unchecked";
        }
        else
        {
            _crcBudget -= size;
            d["data_crc"] = Crc(dataStart, size) == dcrc ? "ok" : "bad";
        }

        long length = UImageHeaderBytes + Math.Min(size, Math.Max(0, available));
        _boundsFromContainers.TryAdd(dataStart, length - UImageHeaderBytes);
        string description = $"uImage \"{d["name"]}\", {d["os"]}/{d["arch"]} {d["type"]}, {d["compression"]}, {size} bytes, data CRC {d["data_crc"]}";
        return Add(pos, length, true, "uimage", description, d, skip: false) is var added && added == -1 && pos < _skipEnd ? null : dataStart;
    }

    // --- Broadcom TRX (OpenWrt firmware-utils trx.c: little-endian "HDR0", length, crc32, flags/version, offsets) ---

    private long? TryTrx(long pos, long scanEnd)
    {
        byte[] h = ReadAt(pos, 32);
        if (h.Length < 32)
        {
            return null;
        }

        uint len = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(4));
        uint flagVersion = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(12));
        int version = (int)(flagVersion >> 16);
        int headerBytes = version == 2 ? 32 : 28;
        if (version is not (1 or 2) || len < headerBytes || len > scanEnd - pos)
        {
            return null;
        }

        int count = version == 2 ? 4 : 3;
        var offsets = new List<uint>();
        for (int i = 0; i < count; i++)
        {
            uint o = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(16 + (4 * i)));
            if (o != 0 && (o < headerBytes || o >= len))
            {
                return null;
            }

            if (o != 0)
            {
                offsets.Add(o);
            }
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["flags"] = Hex(flagVersion & 0xFFFF),
            ["length"] = len.ToString(CultureInfo.InvariantCulture),
            ["partitions"] = string.Join(',', offsets.Select(o => Hex(o))),
        };
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8));
        if (len - 12 <= _crcBudget)
        {
            _crcBudget -= len - 12;
            // trx.c stores the register seeded with ~0 and not inverted at the end, i.e. the zlib CRC inverted; some
            // writers store the zlib CRC itself: both are accepted.
            uint zlib = Crc(pos + 12, len - 12);
            d["crc"] = zlib == crc || (zlib ^ 0xFFFFFFFF) == crc ? "ok" : "bad";
        }
        else
        {
            d["crc"] = "unchecked";
        }

        List<uint> sortedOffsets = [.. offsets.Order()];
        for (int i = 0; i < sortedOffsets.Count; i++)
        {
            long end = i + 1 < sortedOffsets.Count ? sortedOffsets[i + 1] : len;
            _boundsFromContainers.TryAdd(pos + sortedOffsets[i], end - sortedOffsets[i]);
        }

        long added = Add(pos, len, true, "trx", $"TRX v{version}, {len} bytes, partitions at {d["partitions"]}, CRC {d["crc"]}", d, skip: false);
        return added == -1 && pos < _skipEnd ? null : pos + headerBytes;
    }

    // --- TP-Link v1 header (firmware-utils mktplinkfw.c struct fw_header, big-endian, 0x200 bytes) ------------------

    private long? TryTpLink(long pos, long scanEnd)
    {
        byte[] h = ReadAt(pos, TpLinkHeaderBytes);
        if (h.Length < TpLinkHeaderBytes)
        {
            return null;
        }

        string? vendor = PrintableField(h.AsSpan(4, 24));
        string? fwVersion = PrintableField(h.AsSpan(28, 36));
        if (vendor is null || fwVersion is null)
        {
            return null;
        }

        uint U(int at) => BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(at));
        uint kernelOfs = U(0x80), kernelLen = U(0x84), rootfsOfs = U(0x88), rootfsLen = U(0x8C), fwLength = U(0x7C);
        if (kernelOfs < TpLinkHeaderBytes || kernelLen == 0 || kernelOfs + (long)kernelLen > scanEnd - pos || fwLength < TpLinkHeaderBytes)
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["vendor"] = vendor,
            ["fw_version"] = fwVersion,
            ["hw_id"] = Hex(U(0x40)),
            ["hw_rev"] = Hex(U(0x44)),
            ["md5"] = Convert.ToHexStringLower(h.AsSpan(0x4C, 16)),
            ["kernel_load"] = Hex(U(0x74)),
            ["kernel_entry"] = Hex(U(0x78)),
            ["fw_length"] = fwLength.ToString(CultureInfo.InvariantCulture),
            ["kernel_offset"] = Hex(kernelOfs),
            ["kernel_length"] = kernelLen.ToString(CultureInfo.InvariantCulture),
            ["rootfs_offset"] = Hex(rootfsOfs),
            ["rootfs_length"] = rootfsLen.ToString(CultureInfo.InvariantCulture),
            ["boot_offset"] = Hex(U(0x90)),
            ["boot_length"] = U(0x94).ToString(CultureInfo.InvariantCulture),
        };
        _boundsFromContainers.TryAdd(pos + kernelOfs, kernelLen);
        long added = Add(pos, TpLinkHeaderBytes, true, "tplink-header", $"TP-Link firmware header v1, vendor \"{vendor}\", firmware \"{fwVersion}\", hw id {d["hw_id"]}, kernel at {d["kernel_offset"]} ({kernelLen} bytes)", d, skip: false);
        return added == -1 && pos < _skipEnd ? null : pos + TpLinkHeaderBytes;
    }

    // --- OpenWrt fwtool trailer (fwimage.h: magic "FWx0", crc32, type, 3 pad, size; all big-endian, at the end) ----

    private long ScanTrailers()
    {
        long end = _length;
        for (int block = 0; block < MaxTrailerBlocks && end >= 16; block++)
        {
            byte[] t = ReadAt(end - 16, 16);
            if (t.Length < 16 || BinaryPrimitives.ReadUInt32BigEndian(t) != 0x46577830)
            {
                break;
            }

            uint size = BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(12));
            byte type = t[8];
            if (size < 16 || size > end)
            {
                break;
            }

            long start = end - size;
            var d = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["block_type"] = type == 1 ? "metadata" : type == 0 ? "signature" : type.ToString(CultureInfo.InvariantCulture),
                ["crc32"] = Hex(BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(4))),
            };
            string description = $"OpenWrt sysupgrade {d["block_type"]} block, {size} bytes";
            if (type == 1 && size >= 16 + 8 && size - 24 <= MaxJsonBytes)
            {
                byte[] data = ReadAt(start, (int)size - 16);
                d["header_version"] = BinaryPrimitives.ReadUInt32BigEndian(data).ToString(CultureInfo.InvariantCulture);
                ReadOnlySpan<byte> json = data.AsSpan(8);
                int nul = json.IndexOf((byte)0);
                json = nul >= 0 ? json[..nul] : json;
                d["json"] = Encoding.UTF8.GetString(json);
                ReadJsonFields(json, d);
                if (d.TryGetValue("version.release", out string? release))
                {
                    description += $", release \"{release}\"";
                }
            }

            _parts.Add(new Found(start, size, true, "sysupgrade-metadata", description, d));
            end = start;
        }

        return end;
    }

    /// <summary>Flattens the metadata JSON's scalar fields ("version.release", "supported_devices"...) into details.</summary>
    private static void ReadJsonFields(ReadOnlySpan<byte> json, Dictionary<string, string> d)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            Flatten(doc.RootElement, string.Empty, d, 0);
            d["json_valid"] = "true";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            d["json_valid"] = "false"; // not JSON, or strings that are not UTF-8
        }
    }

    private static void Flatten(JsonElement e, string prefix, Dictionary<string, string> d, int depth)
    {
        if (depth > 8 || d.Count > 256)
        {
            return;
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in e.EnumerateObject())
                {
                    Flatten(p.Value, prefix.Length == 0 ? p.Name : prefix + "." + p.Name, d, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                d[prefix] = string.Join(',', e.EnumerateArray().Take(64).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
                break;
            case JsonValueKind.String:
                d[prefix] = e.GetString() ?? string.Empty;
                break;
            default:
                d[prefix] = e.GetRawText();
                break;
        }
    }

    // --- squashfs (squashfs-tools squashfs_fs.h; 1.x-3.x layout from squashfs 3 squashfs_fs.h) --------------------

    private long? TrySquashfs(long pos, long scanEnd, bool littleEndian)
    {
        byte[] s = ReadAt(pos, 96);
        if (s.Length < 96)
        {
            return null;
        }

        ushort U16(int at) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(at));
        uint U32(int at) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(s.AsSpan(at));
        ulong U64(int at) => littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(s.AsSpan(at));
        int major = U16(28), minor = U16(30);
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endian"] = littleEndian ? "little" : "big",
            ["version"] = $"{major}.{minor}",
        };
        ulong bytesUsed;
        uint blockSize, inodes, mkfsTime;
        string compression;
        if (major == 4)
        {
            inodes = U32(4);
            mkfsTime = U32(8);
            blockSize = U32(12);
            int comp = U16(20);
            int blockLog = U16(22);
            bytesUsed = U64(40);
            if (!BitOperations.IsPow2(blockSize) || blockSize < 4096 || blockSize > (1 << 20) || 1u << blockLog != blockSize)
            {
                return null;
            }

            compression = comp < SquashfsComp.Length ? SquashfsComp[comp] : comp.ToString(CultureInfo.InvariantCulture);
            d["supported"] = minor == 0 ? "true" : "false";
        }
        else if (major is >= 1 and <= 3)
        {
            inodes = U32(4);
            bytesUsed = major == 3 ? U64(63) : U32(8);
            mkfsTime = U32(39);
            blockSize = major >= 2 ? U32(51) : U16(32);
            if (!BitOperations.IsPow2(blockSize) || blockSize < 512 || blockSize > (1 << 20))
            {
                return null;
            }

            compression = "gzip";
            d["supported"] = "false";
        }
        else
        {
            return null;
        }

        if (bytesUsed < 96 || bytesUsed > (ulong)(scanEnd - pos))
        {
            return null;
        }

        d["compression"] = compression;
        d["block_size"] = blockSize.ToString(CultureInfo.InvariantCulture);
        d["bytes_used"] = bytesUsed.ToString(CultureInfo.InvariantCulture);
        d["inodes"] = inodes.ToString(CultureInfo.InvariantCulture);
        d["created"] = DateTimeOffset.FromUnixTimeSeconds(mkfsTime).ToString("u", CultureInfo.InvariantCulture);
        string description = $"squashfs {major}.{minor} ({d["endian"]} endian), {compression}, {bytesUsed} bytes, {inodes} inodes, {blockSize}-byte blocks";
        return Resume(Add(pos, (long)bytesUsed, true, "squashfs", description, d, skip: true), pos + 4);
    }

    // --- JFFS2 (include/uapi/linux/jffs2.h: magic 0x1985, nodetype, totlen, hdr_crc = crc32(0, header, 8)) ---------

    private long? TryJffs2(long pos, long scanEnd, bool littleEndian)
    {
        if (pos % 4 != 0 || NodeLength(pos, scanEnd, littleEndian) is not { } first)
        {
            return null;
        }

        long end = pos + first;
        int nodes = 1;
        while (true)
        {
            long next = (end + 3) & ~3L;

            // erase-block padding between nodes: 0xFF (erased flash) up to the next erase block
            long limit = Math.Min(scanEnd, ((next / 65536) + 1) * 65536);
            while (next < limit && Peek(next, 4) is { Length: 4 } w && BinaryPrimitives.ReadUInt32LittleEndian(w) == 0xFFFFFFFF)
            {
                next += 4;
            }

            if (NodeLength(next, scanEnd, littleEndian) is not { } len)
            {
                break;
            }

            end = next + len;
            nodes++;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endian"] = littleEndian ? "little" : "big",
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
        };
        return Resume(Add(pos, end - pos, true, "jffs2", $"JFFS2 filesystem ({d["endian"]} endian), {nodes} nodes", d, skip: true), pos + 1);
    }

    private long? NodeLength(long pos, long scanEnd, bool littleEndian)
    {
        ReadOnlySpan<byte> n = Peek(pos, 12);
        if (n.Length < 12)
        {
            return null;
        }

        ushort magic = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(n) : BinaryPrimitives.ReadUInt16BigEndian(n);
        uint totlen = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(n[4..]) : BinaryPrimitives.ReadUInt32BigEndian(n[4..]);
        uint crc = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(n[8..]) : BinaryPrimitives.ReadUInt32BigEndian(n[8..]);
        if (magic != 0x1985 || totlen < 12 || totlen > scanEnd - pos || Jffs2HeaderCrc(n[..8]) != crc)
        {
            return null;
        }

        return totlen;
    }

    /// <summary>
    /// JFFS2's hdr_crc is the kernel's crc32(0, header, 8): the raw register seeded with 0, not inverted. Four 0xFF
    /// bytes take the zlib CRC's register from its ~0 seed to 0, so it is the zlib CRC of FF FF FF FF + header, inverted.
    /// </summary>
    private static uint Jffs2HeaderCrc(ReadOnlySpan<byte> header)
    {
        var crc = new Crc32();
        crc.Append([0xFF, 0xFF, 0xFF, 0xFF]);
        crc.Append(header);
        return ~crc.GetCurrentHashAsUInt32();
    }

    private long AddMarker(long pos)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["erase_block_aligned"] = "true" };
        long r = Add(pos, 4, true, "jffs2-eof-marker", "OpenWrt JFFS2 end-of-filesystem marker (deadc0de): the writable overlay starts here", d, skip: true);
        return r > 0 ? r : pos + 1;
    }

    // --- compressed streams ------------------------------------------------------------------------------------------

    private long? TryGzip(long pos, long scanEnd)
    {
        ReadOnlySpan<byte> h = Peek(pos, 10);
        if (h.Length < 10 || (h[3] & 0xE0) != 0 || h[8] is not (0 or 2 or 4) || (h[9] > 13 && h[9] != 255))
        {
            return null;
        }

        byte flags = h[3];
        if (!TrialDecode(pos, scanEnd, "gzip"))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["flags"] = Hex(flags) };
        return Resume(Add(pos, 0, false, "gzip", "gzip compressed data", d, skip: false), pos + 10);
    }

    private long? TryXz(long pos, long scanEnd)
    {
        ReadOnlySpan<byte> h = Peek(pos, 12);
        if (h.Length < 12 || h[6] != 0 || (h[7] & 0xF0) != 0 || Crc32.HashToUInt32(h.Slice(6, 2)) != BinaryPrimitives.ReadUInt32LittleEndian(h[8..]))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["check"] = (h[7] & 0x0F) switch { 0 => "none", 1 => "crc32", 4 => "crc64", 10 => "sha256", var c => c.ToString(CultureInfo.InvariantCulture) } };
        _ = scanEnd;
        return Resume(Add(pos, 0, false, "xz", "xz compressed data", d, skip: false), pos + 12);
    }

    /// <summary>
    /// LZMA "alone" header (LZMA SDK lzma.txt): properties byte lc + lp*9 + pb*45 (below 225), dictionary size (LE u32),
    /// uncompressed size (LE u64, -1 when unknown). Believed when the dictionary is 2^n or 2^n + 2^(n-1) between 4 KiB and
    /// 64 MiB, the size is unknown or below 4 GiB, and the first bytes decode.
    /// </summary>
    private long? TryLzma(long pos, long scanEnd)
    {
        ReadOnlySpan<byte> h = Peek(pos, 13);
        if (h.Length < 13)
        {
            return null;
        }

        uint dict = BinaryPrimitives.ReadUInt32LittleEndian(h[1..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(h[5..]);
        bool dictOk = dict >= 4096 && dict <= MaxLzmaDictionaryBytes && (BitOperations.IsPow2(dict) || BitOperations.IsPow2(dict / 3 * 2) && dict % 3 == 0);
        if (!dictOk || (size != ulong.MaxValue && (size >> 32) != 0) || size == 0)
        {
            return null;
        }

        byte props = h[0];
        if (!TrialDecode(pos, scanEnd, "lzma"))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["properties"] = Hex(props),
            ["lc"] = (props % 9).ToString(CultureInfo.InvariantCulture),
            ["lp"] = (props / 9 % 5).ToString(CultureInfo.InvariantCulture),
            ["pb"] = (props / 45).ToString(CultureInfo.InvariantCulture),
            ["dictionary_size"] = dict.ToString(CultureInfo.InvariantCulture),
            ["uncompressed_size"] = size == ulong.MaxValue ? "unknown" : size.ToString(CultureInfo.InvariantCulture),
        };
        return Resume(Add(pos, 0, false, "lzma", $"LZMA compressed data, properties {d["properties"]}, dictionary {dict} bytes, uncompressed size {d["uncompressed_size"]}", d, skip: false), pos + 13);
    }

    /// <summary>A magic alone is a weak signal inside compressed data: the stream must also decode its first bytes.</summary>
    private bool TrialDecode(long pos, long scanEnd, string kind)
    {
        long available = _boundsFromContainers.TryGetValue(pos, out long bound) ? bound : scanEnd - pos;
        byte[] head = ReadAt(pos, 16);
        byte[] sink = new byte[4096];
        try
        {
            using Stream? s = kind == "lzma"
                ? LzmaTrialStream(pos, available, head)
                : FirmwareScanner.OpenCompressed(_stream, pos, available, head);
            if (s is null)
            {
                return false;
            }

            int total = 0;
            while (total < TrialDecodeBytes)
            {
                int n = s.Read(sink, 0, sink.Length);
                if (n <= 0)
                {
                    break;
                }

                total += n;
            }

            return total > 0;
        }
        catch (Exception e) when (FirmwareScanner.IsDecoderFailure(e))
        {
            return false;
        }
    }

    private LzmaStream? LzmaTrialStream(long pos, long available, byte[] head)
    {
        if (head.Length < 13 || available <= 13)
        {
            return null;
        }

        var slice = new WindowStream(_stream, pos + 13, available - 13, leaveOpen: true);
        return LzmaStream.Create(head[..5], slice, available - 13, -1); // see FirmwareScanner.OpenCompressed
    }

    // --- bzImage (Documentation/arch/x86/boot.rst: 0x1FE boot flag 0xAA55, 0x202 "HdrS", 0x1F1 setup_sects, 0x1F4 syssize) ---

    private void TryBzImage(long start, long scanEnd)
    {
        byte[] h = ReadAt(start, 0x240);
        if (h.Length < 0x240 || h[0x1FE] != 0x55 || h[0x1FF] != 0xAA)
        {
            return;
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(0x206));
        int setupSects = h[0x1F1] == 0 ? 4 : h[0x1F1];
        long sysSize = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(0x1F4)) * 16L;
        long length = ((setupSects + 1) * 512L) + sysSize;
        if (version < 0x200 || length > scanEnd - start || sysSize == 0)
        {
            return;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["boot_protocol"] = $"{version >> 8}.{version & 0xFF:D2}",
            ["setup_sectors"] = setupSects.ToString(CultureInfo.InvariantCulture),
            ["efi_stub"] = h[0] == (byte)'M' && h[1] == (byte)'Z' ? "true" : "false",
        };
        string? kernel = FirmwareScanner.ReadKernelVersion(_stream, start, length);
        if (kernel is not null)
        {
            d["kernel_version"] = kernel;
        }

        RemoveFoundFrom(start);
        _ = Add(start, length, true, "bzimage", $"Linux kernel x86 bzImage, boot protocol {d["boot_protocol"]}{(kernel is null ? string.Empty : ", version " + kernel)}", d, skip: true);
    }

    // --- ISO 9660 (ECMA-119: 32 KiB system area, primary volume descriptor type 1 "CD001" at 0x8000) -------------------

    private long? TryIso(long start, long scanEnd)
    {
        byte[] pvd = ReadAt(start + 0x8000, 256);
        if (pvd.Length < 256 || pvd[0] != 1 || pvd[6] != 1)
        {
            return null;
        }

        uint blocks = BinaryPrimitives.ReadUInt32LittleEndian(pvd.AsSpan(80));
        int blockSize = BinaryPrimitives.ReadUInt16LittleEndian(pvd.AsSpan(128));
        long length = (long)blocks * blockSize;
        if (blockSize is not (512 or 1024 or 2048 or 4096) || length < 0x8800 || length > scanEnd - start)
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["volume_id"] = Encoding.ASCII.GetString(pvd, 40, 32).TrimEnd(' ', '\0'),
            ["block_size"] = blockSize.ToString(CultureInfo.InvariantCulture),
            ["blocks"] = blocks.ToString(CultureInfo.InvariantCulture),
        };
        RemoveFoundFrom(start);
        long r = Add(start, length, true, "iso9660", $"ISO 9660 filesystem \"{d["volume_id"]}\", {length} bytes", d, skip: true);
        return r > 0 ? r : null;
    }

    // --- ext2/3/4 (superblock at 1024: s_magic 0xEF53 at 56, s_blocks_count at 4, s_log_block_size at 24) -------------

    private long? TryExt(long start, long scanEnd)
    {
        byte[] sb = ReadAt(start + 1024, 0x160);
        if (sb.Length < 0x160)
        {
            return null;
        }

        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(at));
        uint logBlock = U32(24);
        if (logBlock > 6 || U32(0) == 0)
        {
            return null;
        }

        long blockSize = 1024L << (int)logBlock;
        ulong blocks = U32(4);
        if ((U32(96) & 0x80) != 0)
        {
            blocks |= (ulong)U32(0x150) << 32;
        }

        if (U32(20) != (blockSize == 1024 ? 1u : 0u) || blocks == 0 || U32(76) > 1 || blocks > (ulong)((scanEnd - start) / blockSize))
        {
            return null;
        }

        long length = (long)blocks * blockSize;
        string kind = (U32(96) & 0x40) != 0 ? "ext4" : (U32(92) & 0x4) != 0 ? "ext3" : "ext2";
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["variant"] = kind,
            ["block_size"] = blockSize.ToString(CultureInfo.InvariantCulture),
            ["blocks"] = blocks.ToString(CultureInfo.InvariantCulture),
            ["volume_name"] = CString(sb.AsSpan(120, 16)),
        };
        RemoveFoundFrom(start);
        long r = Add(start, length, true, "ext", $"{kind} filesystem, {blocks} blocks of {blockSize} bytes", d, skip: true);
        return r > 0 ? r : null;
    }

    // --- FAT (fatgen103: jump, BPB, 55 AA at 510; the type from the cluster count) ------------------------------------

    private long? TryFat(long pos, long scanEnd)
    {
        ReadOnlySpan<byte> b = Peek(pos, 512);
        if (b.Length < 512 || b[510] != 0x55 || b[511] != 0xAA || (b[0] == 0xEB && b[2] != 0x90))
        {
            return null;
        }

        int bps = BinaryPrimitives.ReadUInt16LittleEndian(b[11..]);
        int spc = b[13];
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(b[14..]);
        int fats = b[16];
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(b[17..]);
        long total = BinaryPrimitives.ReadUInt16LittleEndian(b[19..]);
        if (total == 0)
        {
            total = BinaryPrimitives.ReadUInt32LittleEndian(b[32..]);
        }

        long fatSize = BinaryPrimitives.ReadUInt16LittleEndian(b[22..]);
        if (fatSize == 0)
        {
            fatSize = BinaryPrimitives.ReadUInt32LittleEndian(b[36..]);
        }

        if (bps is not (512 or 1024 or 2048 or 4096) || spc == 0 || !BitOperations.IsPow2(spc) || reserved == 0 || fats is 0 or > 4 || fatSize == 0 || b[21] < 0xF0)
        {
            return null;
        }

        long dataSectors = total - (reserved + (fats * fatSize) + (((rootEntries * 32L) + bps - 1) / bps));
        long length = total * bps;
        if (dataSectors <= 0 || length > scanEnd - pos)
        {
            return null;
        }

        long clusters = dataSectors / spc;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fat_type"] = clusters < 4085 ? "FAT12" : clusters < 65525 ? "FAT16" : "FAT32",
            ["oem_name"] = Encoding.ASCII.GetString(b.Slice(3, 8)).TrimEnd(' ', '\0'),
            ["bytes_per_sector"] = bps.ToString(CultureInfo.InvariantCulture),
            ["total_sectors"] = total.ToString(CultureInfo.InvariantCulture),
        };
        return Resume(Add(pos, length, true, "fat", $"{d["fat_type"]} filesystem, OEM \"{d["oem_name"]}\", {length} bytes", d, skip: true), pos + 1);
    }

    // --- cpio (newc "070701", crc "070702": 110-byte hex headers, 4-byte alignment; odc "070707": 76-byte octal) ------

    private long? TryCpio(long pos, long scanEnd)
    {
        bool odc = Peek(pos, 6)[5] == (byte)'7';
        long at = pos;
        int entries = 0;
        while (true)
        {
            byte[] h = ReadAt(at, odc ? 76 : 110);
            if (h.Length < (odc ? 76 : 110) || !h.AsSpan(0, 5).SequenceEqual("07070"u8))
            {
                break;
            }

            long? nameSize = odc ? Number(h.AsSpan(59, 6), 8) : Number(h.AsSpan(94, 8), 16);
            long? fileSize = odc ? Number(h.AsSpan(65, 11), 8) : Number(h.AsSpan(54, 8), 16);
            if (nameSize is not { } ns || fileSize is not { } fs || ns is < 1 or > 4096)
            {
                break;
            }

            long nameEnd = at + h.Length + ns;
            long dataStart = odc ? nameEnd : (nameEnd + 3) & ~3L;
            long dataEnd = odc ? dataStart + fs : (dataStart + fs + 3) & ~3L;
            if (dataEnd > scanEnd)
            {
                break;
            }

            entries++;
            byte[] name = ReadAt(at + h.Length, (int)ns);
            at = dataEnd;
            if (name.AsSpan().StartsWith("TRAILER!!!"u8))
            {
                var d = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["format"] = odc ? "odc" : "newc",
                    ["entries"] = entries.ToString(CultureInfo.InvariantCulture),
                };
                return Resume(Add(pos, at - pos, true, "cpio", $"cpio archive ({d["format"]}), {entries} entries", d, skip: true), pos + 6);
            }
        }

        return null; // no trailer: not an archive we can bound
    }

    private static long? Number(ReadOnlySpan<byte> digits, int radix)
    {
        long v = 0;
        foreach (byte c in digits)
        {
            int x = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : radix == 16 && c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : radix == 16 && c is >= (byte)'A' and <= (byte)'F' ? c - 'A' + 10 : -1;
            if (x < 0 || x >= radix)
            {
                return null;
            }

            v = (v * radix) + x;
        }

        return v;
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
            var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["fill"] = Hex(fill) };
            long r = Add(pos, run, true, "padding", $"padding, {run} bytes of {d["fill"]}", d, skip: true);
            return r > 0 ? r : pos + Math.Max(1, run);
        }

        return pos + Math.Max(1, run);
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    /// <summary>Drops parts found inside a part whose magic is only seen further in (ISO 9660's system area, ext's boot block).</summary>
    private void RemoveFoundFrom(long start)
    {
        if (start < _skipEnd)
        {
            return;
        }

        _parts.RemoveAll(p => p.Offset >= start && p.Type != "padding" && p.Type != "sysupgrade-metadata");
    }

    /// <summary>The zlib CRC-32 (as gzip, PNG and U-Boot's image.h compute it) of [start, start + length).</summary>
    private uint Crc(long start, long length)
    {
        byte[] buffer = new byte[64 << 10];
        var crc = new Crc32();
        _stream.Position = start;
        long left = length;
        while (left > 0)
        {
            int n = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0)
            {
                throw new FootprintFormatException(_sourceName, start + length - left, "the image ended while checking a CRC");
            }

            crc.Append(buffer.AsSpan(0, n));
            left -= n;
        }

        return crc.GetCurrentHashAsUInt32();
    }

    internal static string CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul >= 0 ? bytes[..nul] : bytes).Trim();
    }

    /// <summary>A NUL-padded text field that holds at least one character and only printable ASCII.</summary>
    private static string? PrintableField(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = nul >= 0 ? field[..nul] : field;
        if (text.Length == 0 || text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || (nul >= 0 && field[nul..].IndexOfAnyExcept((byte)0) >= 0))
        {
            return null;
        }

        return Encoding.ASCII.GetString(text);
    }

    private static string Name(string[] names, byte value) => value < names.Length ? names[value] : value.ToString(CultureInfo.InvariantCulture);

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
