using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Iso9660;

/// <summary>
/// Partition tables of isohybrid images in the ISO system area: the MBR table at byte 446 (four 16-byte entries,
/// signature 55 AA at 510) and a GPT header at LBA 1 ("EFI PART"; UEFI 2.x 5.3), 512-byte sectors. Partitions may lie
/// after the ISO volume (xorriso -append_partition).
/// </summary>
internal static class HybridPartitionTable
{
    private const int MbrTableOffset = 446;
    private const long MaxSectors = long.MaxValue / IsoConstants.DiskSectorBytes;

    public static List<HybridPartition> Read(IsoImage image)
    {
        var partitions = new List<HybridPartition>();
        if (image.LengthBytes < 2 * IsoConstants.DiskSectorBytes)
        {
            return partitions;
        }

        byte[] head = image.ReadExactly(0, 2 * IsoConstants.DiskSectorBytes, "system area");
        if (head[510] != 0x55 || head[511] != 0xAA)
        {
            return partitions;
        }

        for (int i = 0; i < 4; i++)
        {
            ReadOnlySpan<byte> e = head.AsSpan(MbrTableOffset + (i * 16), 16);
            byte type = e[4];
            long start = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            long count = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
            if (type == 0 && start == 0 && count == 0)
            {
                continue; // empty slot (isohybrid-gpt-basdat writes a type-0 partition with a size: that one is kept)
            }
            partitions.Add(new HybridPartition(i + 1, "mbr", $"0x{type:x2}", start * IsoConstants.DiskSectorBytes, count * IsoConstants.DiskSectorBytes, e[0] == 0x80, null));
        }

        if (head.AsSpan(IsoConstants.DiskSectorBytes, 8).SequenceEqual("EFI PART"u8))
        {
            ReadGpt(image, head.AsSpan(IsoConstants.DiskSectorBytes, IsoConstants.DiskSectorBytes), partitions);
        }

        return partitions;
    }

    private static void ReadGpt(IsoImage image, ReadOnlySpan<byte> header, List<HybridPartition> partitions)
    {
        const long headerOffset = IsoConstants.DiskSectorBytes;
        ulong entriesLba = BinaryPrimitives.ReadUInt64LittleEndian(header[72..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[80..]);
        uint entrySize = BinaryPrimitives.ReadUInt32LittleEndian(header[84..]);
        if (count > IsoConstants.MaxGptEntries || entrySize < 128 || entrySize > 4096 || entrySize % 8 != 0 || entriesLba > (ulong)MaxSectors)
        {
            throw image.Error(headerOffset + 72, $"GPT header: {count} entries of {entrySize} bytes at LBA {entriesLba} is not plausible");
        }

        long tableOffset = (long)entriesLba * IsoConstants.DiskSectorBytes;
        byte[] table = image.ReadExactly(tableOffset, checked((int)(count * entrySize)), "GPT partition entries");
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = table.AsSpan((int)(i * entrySize), (int)entrySize);
            var type = new Guid(e[..16]);
            if (type == Guid.Empty)
            {
                continue;
            }

            ulong first = BinaryPrimitives.ReadUInt64LittleEndian(e[32..]);
            ulong last = BinaryPrimitives.ReadUInt64LittleEndian(e[40..]);
            if (last < first || last >= (ulong)MaxSectors)
            {
                throw image.Error(tableOffset + (i * entrySize) + 32, $"GPT partition {i + 1}: LBA range {first}-{last} is not plausible");
            }

            ulong attributes = BinaryPrimitives.ReadUInt64LittleEndian(e[48..]);
            string name = Encoding.Unicode.GetString(e.Slice(56, 72));
            int nul = name.IndexOf('\0');
            name = nul >= 0 ? name[..nul] : name;
            partitions.Add(new HybridPartition(
                i + 1, "gpt", type.ToString(), (long)first * IsoConstants.DiskSectorBytes, (long)(last - first + 1) * IsoConstants.DiskSectorBytes,
                (attributes & 0x4) != 0, name));
        }
    }
}
