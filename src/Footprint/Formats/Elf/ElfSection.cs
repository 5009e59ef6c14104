namespace Footprint.Formats.Elf;

/// <summary>One section header (Elf32_Shdr / Elf64_Shdr): the fields the reader uses, and its name once the name table is read.</summary>
internal readonly record struct ElfSection(uint NameOffset, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize, ulong Align)
{
    public string Name { get; init; } = string.Empty;
}
