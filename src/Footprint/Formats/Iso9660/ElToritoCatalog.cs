using System.Buffers.Binary;

namespace Footprint.Formats.Iso9660;

/// <summary>
/// The El Torito boot catalog ("El Torito" Bootable CD-ROM Format Specification 1.0, Phoenix/IBM 1995): a boot record
/// volume descriptor points (LE32 at 0x47) to the catalog, a list of 32-byte entries: validation entry (header 01,
/// platform, checksum over the 16 words = 0, key 55 AA), initial/default entry, then section headers (0x90 more
/// follow, 0x91 last; platform 0 x86, 1 PowerPC, 2 Mac, 0xEF EFI) each followed by its section entries (and 0x44
/// extension entries when a section entry's media byte has bit 5 set).
/// </summary>
internal static class ElToritoCatalog
{
    private const int EntryBytes = 32;
    private const int CatalogPointerOffset = 0x47;

    public static List<ElToritoEntry> Read(IsoImage image, byte[] bootRecord, long bootRecordOffset, Func<long, string?> imagePathAt)
    {
        long catalogBlock = BinaryPrimitives.ReadUInt32LittleEndian(bootRecord.AsSpan(CatalogPointerOffset));
        long catalogOffset = catalogBlock * image.BlockSize;
        if (catalogOffset + EntryBytes > image.LengthBytes)
        {
            throw image.Error(bootRecordOffset + CatalogPointerOffset, $"El Torito boot catalog at block {catalogBlock} lies beyond the end of the image");
        }

        int length = (int)Math.Min(IsoConstants.MaxBootCatalogBytes, image.LengthBytes - catalogOffset) & ~(EntryBytes - 1);
        byte[] catalog = image.ReadExactly(catalogOffset, length, "El Torito boot catalog");
        ReadOnlySpan<byte> validation = catalog.AsSpan(0, EntryBytes);
        if (validation[0] != 0x01 || validation[30] != 0x55 || validation[31] != 0xAA)
        {
            throw image.Error(catalogOffset, "El Torito validation entry: header 01 and key 55 AA expected");
        }

        int sum = 0;
        for (int i = 0; i < EntryBytes; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(validation[i..]);
        }

        if ((sum & 0xFFFF) != 0)
        {
            throw image.Error(catalogOffset + 28, "El Torito validation entry checksum does not sum to zero");
        }

        var entries = new List<ElToritoEntry>();
        if (length < 2 * EntryBytes)
        {
            throw image.Error(catalogOffset + EntryBytes, "El Torito boot catalog truncated before its initial entry");
        }

        entries.Add(Entry(image, catalog.AsSpan(EntryBytes, EntryBytes), validation[1], imagePathAt));
        int pos = 2 * EntryBytes;
        bool last = false;
        while (!last && pos + EntryBytes <= length)
        {
            byte header = catalog[pos];
            if (header is not (0x90 or 0x91))
            {
                break; // end of the catalog (zero) or something else: stop as firmware does
            }

            last = header == 0x91;
            byte platform = catalog[pos + 1];
            int count = BinaryPrimitives.ReadUInt16LittleEndian(catalog.AsSpan(pos + 2));
            pos += EntryBytes;
            for (int i = 0; i < count; i++)
            {
                if (pos + EntryBytes > length)
                {
                    throw image.Error(catalogOffset + pos, $"El Torito section of {count} entries runs past the end of the catalog");
                }

                ReadOnlySpan<byte> e = catalog.AsSpan(pos, EntryBytes);
                entries.Add(Entry(image, e, platform, imagePathAt));
                pos += EntryBytes;
                bool extended = (e[1] & 0x20) != 0;
                while (extended && pos + EntryBytes <= length && catalog[pos] == 0x44)
                {
                    extended = (catalog[pos + 1] & 0x20) != 0;
                    pos += EntryBytes;
                }
            }
        }

        return entries;
    }

    /// <summary>Boot indicator (0x88 bootable), media type (low nibble), load segment, system type, sector count, load RBA.</summary>
    private static ElToritoEntry Entry(IsoImage image, ReadOnlySpan<byte> e, byte platform, Func<long, string?> imagePathAt)
    {
        long rba = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
        long offset = rba * image.BlockSize;
        return new ElToritoEntry(
            PlatformName(platform), e[0] == 0x88, MediaName(e[1] & 0x0F), BinaryPrimitives.ReadUInt16LittleEndian(e[2..]), e[4],
            BinaryPrimitives.ReadUInt16LittleEndian(e[6..]), rba, offset, imagePathAt(offset));
    }

    private static string PlatformName(byte id) => id switch
    {
        0x00 => "x86-bios",
        0x01 => "ppc",
        0x02 => "mac",
        0xEF => "efi",
        _ => $"0x{id:x2}",
    };

    private static string MediaName(int media) => media switch
    {
        0 => "no-emulation",
        1 => "floppy-1.2M",
        2 => "floppy-1.44M",
        3 => "floppy-2.88M",
        4 => "hard-disk",
        _ => $"0x{media:x2}",
    };
}
