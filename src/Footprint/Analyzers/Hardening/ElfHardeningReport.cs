namespace Footprint.Analyzers.Hardening;

/// <summary>
/// <para>Kind: executable or shared-library.</para>
/// <para>Pie: yes, no, dso (a shared library) as checksec says.</para>
/// <para>Relro: full, partial, none.</para>
/// <para>Nx: yes or no (no PT_GNU_STACK counts as no: the kernel default is an executable stack).</para>
/// <para>Canary: yes or no (<c>__stack_chk_fail</c> in the dynamic symbols).</para>
/// <para>Fortify: yes, no, or unknown (musl or static: fortification leaves no <c>_chk</c> symbol to see).</para>
/// <para>Symbols: Not stripped: a .symtab section is present.</para>
/// </summary>
public sealed record ElfHardeningReport(string Path, int? Layer, string Kind, string Pie, string Relro, string Nx, string Canary, string Fortify,
    string? Rpath, string? Runpath, bool Symbols);
