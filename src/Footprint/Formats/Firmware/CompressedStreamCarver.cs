using System.Globalization;
using Footprint.Formats.Compression;
using SharpCompress.Compressors.LZMA;

namespace Footprint.Formats.Firmware;

/// <summary>
/// Compressed streams in an image (gzip, xz, lzma-alone), recognised by <see cref="CompressionProbe"/>. A magic alone
/// is a weak signal inside other compressed data, so gzip and lzma must also decode their first bytes. Their length is
/// not in any header: an enclosing container (uImage, TRX, TP-Link) bounds them, or else the next part does.
/// </summary>
internal static class CompressedStreamCarver
{
    /// <summary>Bytes a compressed-stream candidate must decode to without error to be believed.</summary>
    private const int TrialDecodeBytes = 16 << 10;

    public static long? TryGzip(FirmwareScan scan, long pos, long scanEnd)
    {
        if (!CompressionProbe.TryReadGzip(scan.Peek(pos, 10), out byte flags) || !TrialDecode(scan, pos, scanEnd, "gzip"))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["flags"] = FirmwareText.Hex(flags) };
        return FirmwareScan.Resume(scan.Add(pos, 0, false, "gzip", "gzip compressed data", d, skip: false), pos + 10);
    }

    public static long? TryXz(FirmwareScan scan, long pos)
    {
        if (!CompressionProbe.TryReadXz(scan.Peek(pos, 12), out int check))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["check"] = check switch { 0 => "none", 1 => "crc32", 4 => "crc64", 10 => "sha256", var c => c.ToString(CultureInfo.InvariantCulture) } };
        return FirmwareScan.Resume(scan.Add(pos, 0, false, "xz", "xz compressed data", d, skip: false), pos + 12);
    }

    /// <summary>An lzma-alone header that <see cref="CompressionProbe.TryReadLzmaAlone"/> believes and whose first bytes decode.</summary>
    public static long? TryLzma(FirmwareScan scan, long pos, long scanEnd)
    {
        if (!CompressionProbe.TryReadLzmaAlone(scan.Peek(pos, CompressionProbe.LzmaAloneHeaderBytes), out LzmaAloneHeader? h) || !TrialDecode(scan, pos, scanEnd, "lzma"))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["properties"] = FirmwareText.Hex(h.Properties),
            ["lc"] = h.Lc.ToString(CultureInfo.InvariantCulture),
            ["lp"] = h.Lp.ToString(CultureInfo.InvariantCulture),
            ["pb"] = h.Pb.ToString(CultureInfo.InvariantCulture),
            ["dictionary_size"] = h.DictionaryBytes.ToString(CultureInfo.InvariantCulture),
            ["uncompressed_size"] = h.UncompressedBytes is { } size ? size.ToString(CultureInfo.InvariantCulture) : "unknown",
        };
        return FirmwareScan.Resume(scan.Add(pos, 0, false, "lzma", $"LZMA compressed data, properties {d["properties"]}, dictionary {h.DictionaryBytes} bytes, uncompressed size {d["uncompressed_size"]}", d, skip: false), pos + 13);
    }

    /// <summary>A magic alone is a weak signal inside compressed data: the stream must also decode its first bytes.</summary>
    private static bool TrialDecode(FirmwareScan scan, long pos, long scanEnd, string kind)
    {
        long available = scan.TryGetContainerBound(pos, out long bound) ? bound : scanEnd - pos;
        byte[] head = scan.ReadAt(pos, 16);
        byte[] sink = new byte[4096];
        try
        {
            using Stream? s = kind == "lzma"
                ? LzmaTrialStream(scan, pos, available, head)
                : FirmwareScanner.OpenCompressed(scan.Stream, pos, available, head);
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

    private static LzmaStream? LzmaTrialStream(FirmwareScan scan, long pos, long available, byte[] head)
    {
        if (head.Length < CompressionProbe.LzmaAloneHeaderBytes || available <= CompressionProbe.LzmaAloneHeaderBytes)
        {
            return null;
        }

        var slice = new WindowStream(scan.Stream, pos + 13, available - 13, leaveOpen: true);
        return LzmaStream.Create(head[..5], slice, available - 13, -1); // see FirmwareScanner.OpenCompressed
    }
}
