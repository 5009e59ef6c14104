namespace Footprint.Formats.Elf;

/// <summary>One DT_VERNEED entry: a library and the symbol versions required from it (libc.so.6 -> GLIBC_2.34).</summary>
public sealed record ElfVersionNeed(string File, IReadOnlyList<string> Versions);
