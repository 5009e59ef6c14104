using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace Footprint.Formats.Fat;

/// <summary>
/// What a FAT boot sector says (Microsoft fatgen103: jump instruction, BIOS parameter block, 55 AA at 510; the FAT type
/// follows from the cluster count), read without the FATs or directories: how a carver tells a volume from chance
/// bytes and learns its length.
/// </summary>
/// <param name="FatType">"FAT12", "FAT16" or "FAT32", from the count of data clusters.</param>
/// <param name="OemName">BS_OEMName, padding trimmed.</param>
/// <param name="BytesPerSector">BPB_BytsPerSec.</param>
/// <param name="TotalSectors">BPB_TotSec16, or BPB_TotSec32 when that is 0.</param>
public sealed record FatProbe(string FatType, string OemName, int BytesPerSector, long TotalSectors)
{
    /// <summary>Bytes of the boot sector the probe reads.</summary>
    public const int HeaderBytes = 512;

    /// <summary>The volume's length as the boot sector states it.</summary>
    public long LengthBytes => TotalSectors * BytesPerSector;

    /// <summary>
    /// The check a medium is opened on: the 55 AA signature, a sector size of 512 to 4096 bytes, a power-of-two
    /// cluster size and one or two FATs. Looser than <see cref="TryRead"/>: a file that claims to be FAT this far is
    /// handed to <see cref="FatReader"/>, which says what is wrong with it.
    /// </summary>
    internal static bool HasMagic(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderBytes || header[510] != 0x55 || header[511] != 0xAA)
        {
            return false;
        }

        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(header[11..]);
        byte sectorsPerCluster = header[13];
        byte fats = header[16];
        return bytesPerSector is 512 or 1024 or 2048 or 4096 && sectorsPerCluster != 0 && BitOperations.IsPow2(sectorsPerCluster) && fats is 1 or 2;
    }

    /// <summary>
    /// True for a plausible boot sector anywhere in an image: a jump (EB xx 90 or E9), the 55 AA signature, a sector
    /// size of 512 to 4096 bytes, a power-of-two cluster size, reserved sectors, one to four FATs of nonzero size, a
    /// media byte of F0 or more, and data sectors left after the FATs and the root directory.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> header, [NotNullWhen(true)] out FatProbe? probe)
    {
        probe = null;
        ReadOnlySpan<byte> b = header;
        if (b.Length < HeaderBytes || b[0] is not (0xEB or 0xE9) || b[510] != 0x55 || b[511] != 0xAA || (b[0] == 0xEB && b[2] != 0x90))
        {
            return false;
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
            return false;
        }

        long dataSectors = total - (reserved + (fats * fatSize) + (((rootEntries * 32L) + bps - 1) / bps));
        if (dataSectors <= 0)
        {
            return false;
        }

        long clusters = dataSectors / spc;
        string type = clusters < 4085 ? "FAT12" : clusters < 65525 ? "FAT16" : "FAT32";
        probe = new FatProbe(type, Encoding.ASCII.GetString(b.Slice(3, 8)).TrimEnd(' ', '\0'), bps, total);
        return true;
    }
}
