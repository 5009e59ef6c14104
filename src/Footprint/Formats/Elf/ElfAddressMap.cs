namespace Footprint.Formats.Elf;

/// <summary>Maps virtual addresses (DT_STRTAB, DT_VERNEED, Go's pointers) to file offsets.</summary>
internal sealed class ElfAddressMap(ElfSegment[] segments, ElfSection[] sections)
{
    /// <summary>The file offset holding a virtual address: through PT_LOAD, or section addresses when there are no segments (REL).</summary>
    public ulong? ToOffset(ulong address)
    {
        foreach (var s in segments)
        {
            if (s.Type == ElfConstants.PtLoad && address >= s.VirtualAddress && address - s.VirtualAddress < s.FileSize)
            {
                return s.Offset + (address - s.VirtualAddress);
            }
        }

        foreach (var s in sections)
        {
            if (s.Address != 0 && s.Type != ElfConstants.ShtNobits && address >= s.Address && address - s.Address < s.Size)
            {
                return s.Offset + (address - s.Address);
            }
        }

        return null;
    }
}
