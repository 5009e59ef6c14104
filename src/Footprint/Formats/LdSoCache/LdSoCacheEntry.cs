namespace Footprint.Formats.LdSoCache;

/// <summary>One library the cache maps.</summary>
/// <param name="Name">The name the loader looks up (a soname).</param>
/// <param name="Path">The path it opens.</param>
/// <param name="Flags">The entry's flags: the low byte is the kind (FLAG_ELF_LIBC6 = 3), the next names the ABI
/// (0x0300 = x86-64, 0x0a00 = AArch64 ...); kept for evidence, the loader model checks the file's class and machine instead.</param>
public sealed record LdSoCacheEntry(string Name, string Path, int Flags);
