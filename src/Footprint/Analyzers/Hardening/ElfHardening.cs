using Footprint.Formats.Elf;

namespace Footprint.Analyzers.Hardening;

/// <summary>
/// checksec's verdicts (slimm609/checksec.sh 2.6, the Debian package) computed from an <see cref="ElfSummary"/>
/// instead of readelf output. Where checksec greps text, the same facts are taken from the parsed tables; the few
/// places where the two can differ are listed in docs/surface.md.
/// </summary>
public static class ElfHardening
{
    /// <summary>DT_FLAGS bit DF_BIND_NOW, which readelf -d prints as "BIND_NOW" (DF_1_NOW in DT_FLAGS_1 prints as "NOW").</summary>
    private const ulong DfBindNow = 0x8;

    /// <summary>DT_FLAGS_1 bit DF_1_PIE.</summary>
    private const ulong Df1Pie = 0x08000000;

    /// <summary>PF_X in PT_GNU_STACK's p_flags.</summary>
    private const uint PfExecute = 1;

    /// <summary>
    /// True for the ELF types the hardening flags speak of: executables and shared objects (not .o, .ko or core files),
    /// and only undamaged ones: the flags of a file nothing can load would be read from missing or garbage tables.
    /// </summary>
    public static bool Applies(ElfSummary elf) => elf.Type is "EXEC" or "DYN" && elf.Damage is null;

    public static ElfHardeningReport Judge(string path, int? layer, ElfSummary elf)
    {
        // PIE: checksec calls ET_EXEC "no", ET_DYN with a DT_DEBUG tag "yes" (linkers give DT_DEBUG to executables
        // only) and any other ET_DYN a "DSO". DF_1_PIE marks a PIE as well, for linkers that omit DT_DEBUG.
        var pie = elf.Type == "EXEC" ? "no" : elf.HasDebugTag || ((elf.Flags1 ?? 0) & Df1Pie) != 0 ? "yes" : "dso";

        // RELRO: PT_GNU_RELRO makes the data after relocation read-only ("partial"); with immediate binding the GOT is
        // resolved before that, so it is covered too ("full"). checksec greps readelf -d for "BIND_NOW": the
        // DT_BIND_NOW tag or the DF_BIND_NOW flag.
        var bindNow = elf.HasBindNowTag || ((elf.Flags ?? 0) & DfBindNow) != 0;
        var relro = !elf.Relro ? "none" : bindNow ? "full" : "partial";

        // NX: without PT_GNU_STACK the kernel falls back to an executable stack on most architectures (x86, arm, mips).
        var nx = elf.GnuStackFlags is { } flags && (flags & PfExecute) == 0 ? "yes" : "no";
        var canary = elf.StackProtector ? "yes" : "no";
        var fortify = elf.FortifiedSymbols.Count > 0 ? "yes" : IsMusl(elf) || elf.Linkage == ElfLinkage.Static ? "unknown" : "no";
        var kind = pie == "dso" ? "shared-library" : "executable";
        return new ElfHardeningReport(path, layer, kind, pie, relro, nx, canary, fortify, elf.Rpath, elf.Runpath, elf.HasSymbolTable);
    }

    /// <summary>
    /// musl's fortify is header-only (the fortify-headers package): checked calls are inlined and leave no
    /// <c>__*_chk</c> symbol, so "no _chk symbol" says nothing about a musl program.
    /// </summary>
    internal static bool IsMusl(ElfSummary elf)
        => elf.Interpreter?.Contains("ld-musl", StringComparison.Ordinal) == true
            || elf.Needed.Any(n => n.StartsWith("libc.musl", StringComparison.Ordinal))
            || elf.Soname?.StartsWith("libc.musl", StringComparison.Ordinal) == true;
}
