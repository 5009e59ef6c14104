using System.Globalization;
using Footprint.Formats.Cpio;
using Footprint.Formats.Fat;
using Footprint.Formats.Iso9660;
using Footprint.Formats.Squashfs;

namespace Footprint.Formats.Firmware;

/// <summary>
/// The filesystems and archives Footprint has readers for (squashfs, ISO 9660, FAT, cpio), found in an image through
/// each reader's own probe: the scanner knows none of their magic or header fields, only how to show what the probe
/// found and where the part ends.
/// </summary>
internal static class FileSystemCarver
{
    /// <summary>A squashfs superblock of any version or byte order; bounded by bytes_used.</summary>
    public static long? TrySquashfs(FirmwareScan scan, long pos, long scanEnd)
    {
        if (!SquashfsReader.TryProbe(scan.ReadAt(pos, SquashfsProbe.HeaderBytes), out SquashfsProbe? sq) || sq.BytesUsed > (ulong)(scanEnd - pos))
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endian"] = sq.LittleEndian ? "little" : "big",
            ["version"] = $"{sq.Major}.{sq.Minor}",
            ["supported"] = sq.Supported ? "true" : "false",
            ["compression"] = sq.Compression,
            ["block_size"] = sq.BlockSizeBytes.ToString(CultureInfo.InvariantCulture),
            ["bytes_used"] = sq.BytesUsed.ToString(CultureInfo.InvariantCulture),
            ["inodes"] = sq.InodeCount.ToString(CultureInfo.InvariantCulture),
            ["created"] = DateTimeOffset.FromUnixTimeSeconds(sq.CreatedUnixSeconds).ToString("u", CultureInfo.InvariantCulture),
        };
        string description = $"squashfs {sq.Major}.{sq.Minor} ({d["endian"]} endian), {sq.Compression}, {sq.BytesUsed} bytes, {sq.InodeCount} inodes, {sq.BlockSizeBytes}-byte blocks";
        return FirmwareScan.Resume(scan.Add(pos, (long)sq.BytesUsed, true, "squashfs", description, d, skip: true), pos + 4);
    }

    /// <summary>An ISO 9660 image starting at <paramref name="start"/> (its "CD001" was seen 32769 bytes in); bounded by its volume size.</summary>
    public static long? TryIso(FirmwareScan scan, long start, long scanEnd)
    {
        if (!IsoReader.TryProbe(scan.ReadAt(start, IsoProbe.HeaderBytes), out IsoProbe? iso) || iso.LengthBytes > scanEnd - start)
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["volume_id"] = iso.VolumeId,
            ["block_size"] = iso.BlockSizeBytes.ToString(CultureInfo.InvariantCulture),
            ["blocks"] = iso.Blocks.ToString(CultureInfo.InvariantCulture),
        };
        scan.RemoveFoundFrom(start);
        long r = scan.Add(start, iso.LengthBytes, true, "iso9660", $"ISO 9660 filesystem \"{iso.VolumeId}\", {iso.LengthBytes} bytes", d, skip: true);
        return r > 0 ? r : null;
    }

    /// <summary>A FAT boot sector at <paramref name="pos"/>; bounded by its total sectors.</summary>
    public static long? TryFat(FirmwareScan scan, long pos, long scanEnd)
    {
        if (!FatReader.TryProbe(scan.Peek(pos, FatProbe.HeaderBytes), out FatProbe? fat) || fat.LengthBytes > scanEnd - pos)
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fat_type"] = fat.FatType,
            ["oem_name"] = fat.OemName,
            ["bytes_per_sector"] = fat.BytesPerSector.ToString(CultureInfo.InvariantCulture),
            ["total_sectors"] = fat.TotalSectors.ToString(CultureInfo.InvariantCulture),
        };
        return FirmwareScan.Resume(scan.Add(pos, fat.LengthBytes, true, "fat", $"{fat.FatType} filesystem, OEM \"{fat.OemName}\", {fat.LengthBytes} bytes", d, skip: true), pos + 1);
    }

    /// <summary>
    /// A cpio archive (newc, crc or odc) at <paramref name="pos"/>, walked header by header to its TRAILER!!!; without
    /// one it cannot be bounded and is not reported. Alignment is to the image's offsets, as the kernel aligns an
    /// initramfs appended at a 4-byte boundary.
    /// </summary>
    public static long? TryCpio(FirmwareScan scan, long pos, long scanEnd)
    {
        CpioFormat? format = null;
        long at = pos;
        int entries = 0;
        while (CpioReader.TryProbe(scan.ReadAt(at, CpioProbe.MaxHeaderBytes), out CpioProbe? h) && (format ?? h.Format) == h.Format)
        {
            format = h.Format;
            long nameEnd = at + h.HeaderBytes + h.NameBytes;
            long dataStart = Align(nameEnd, h.Alignment);
            long dataEnd = Align(dataStart + h.DataBytes, h.Alignment);
            if (dataEnd > scanEnd)
            {
                break;
            }

            entries++;
            byte[] name = scan.ReadAt(at + h.HeaderBytes, (int)h.NameBytes);
            at = dataEnd;
            if (CpioProbe.IsTrailer(name))
            {
                var d = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["format"] = h.Format == CpioFormat.Odc ? "odc" : "newc",
                    ["entries"] = entries.ToString(CultureInfo.InvariantCulture),
                };
                return FirmwareScan.Resume(scan.Add(pos, at - pos, true, "cpio", $"cpio archive ({d["format"]}), {entries} entries", d, skip: true), pos + 6);
            }
        }

        return null; // no trailer: not an archive we can bound
    }

    private static long Align(long offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
