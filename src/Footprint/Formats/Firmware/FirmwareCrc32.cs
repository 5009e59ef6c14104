namespace Footprint.Formats.Firmware;

/// <summary>
/// The reflected CRC-32 (polynomial 0xEDB88320) with a caller-chosen seed and no implied inversion. Hand-written
/// rather than System.IO.Hashing.Crc32 because JFFS2's node CRC is the raw register seeded with 0 (the kernel's
/// crc32(0, ...)) and TRX's is seeded with ~0 but not inverted at the end; Crc32 only gives the zlib form.
/// zlib/uImage form: Update(0xFFFFFFFF, data) ^ 0xFFFFFFFF.
/// </summary>
internal static class FirmwareCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>The CRC-32 of zlib, gzip, PNG and U-Boot's image.h.</summary>
    public static uint Standard(ReadOnlySpan<byte> data) => Update(0xFFFFFFFF, data) ^ 0xFFFFFFFF;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
