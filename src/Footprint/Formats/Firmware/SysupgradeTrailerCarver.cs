using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Footprint.Formats.Firmware;

/// <summary>
/// OpenWrt fwtool trailers (fwimage.h: magic "FWx0", CRC-32, type, 3 pad bytes, size; all big-endian), stacked
/// at the end of a sysupgrade image: metadata blocks (JSON) and signatures. Read backwards before the scan starts.
/// </summary>
internal static class SysupgradeTrailerCarver
{
    private const int MaxTrailerBlocks = 8;
    private const int MaxJsonBytes = 1 << 20;

    /// <summary>Records the trailers at the end of the image; returns where the scanned bytes end (the first trailer's start).</summary>
    public static long ScanEnd(FirmwareScan scan)
    {
        long end = scan.Length;
        for (int block = 0; block < MaxTrailerBlocks && end >= 16; block++)
        {
            byte[] t = scan.ReadAt(end - 16, 16);
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
                ["crc32"] = FirmwareText.Hex(BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(4))),
            };
            string description = $"OpenWrt sysupgrade {d["block_type"]} block, {size} bytes";
            if (type == 1 && size >= 16 + 8 && size - 24 <= MaxJsonBytes)
            {
                byte[] data = scan.ReadAt(start, (int)size - 16);
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

            scan.AddTrailer(start, size, "sysupgrade-metadata", description, d);
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
}
