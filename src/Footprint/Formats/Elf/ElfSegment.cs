namespace Footprint.Formats.Elf;

/// <summary>One program header (Elf32_Phdr / Elf64_Phdr): the fields the reader uses.</summary>
internal readonly record struct ElfSegment(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong Align);
