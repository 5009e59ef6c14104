namespace Footprint.Formats.Kernel;

/// <summary>One section of a vmlinux ELF, already checked to lie inside the file.</summary>
/// <param name="Name">e.g. ".init.data", which holds the built-in initramfs (include/asm-generic/vmlinux.lds.h, INIT_RAM_FS).</param>
/// <param name="Type">sh_type (1 PROGBITS, 2 SYMTAB, 3 STRTAB, 8 NOBITS).</param>
/// <param name="Address">sh_addr: where the section is loaded.</param>
/// <param name="Offset">sh_offset: where its bytes are in the file.</param>
/// <param name="Size">sh_size in bytes.</param>
/// <param name="Link">sh_link (a symbol table's string table).</param>
public sealed record VmlinuxSection(string Name, uint Type, ulong Address, long Offset, long Size, int Link);
