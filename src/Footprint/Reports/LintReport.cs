namespace Footprint.Reports;

/// <summary>
/// What `footprint lint` checks: the C library the image provides and whether every dynamic program and library
/// would load, modelled on the image's own loader (docs/lint.md).
/// </summary>
public sealed record LintReport
{
    /// <summary>The C library the image provides; null when none was found (static-only or empty images).</summary>
    public LibcReport? Libc { get; init; }

    public required LintCounts Counts { get; init; }

    /// <summary>Errors first, then warnings, then info; by path within a severity.</summary>
    public required IReadOnlyList<LintFinding> Findings { get; init; }

    /// <summary>When BusyBox is installed: its version, applet links, and which common commands are its applets.</summary>
    public BusyBoxReport? BusyBox { get; init; }
}

/// <summary>BusyBox as scripts meet it.</summary>
/// <param name="Version">From the binary's banner.</param>
/// <param name="Path">The BusyBox binary.</param>
/// <param name="Applets">Links (symbolic and hard) to it.</param>
/// <param name="AppletCommands">Common commands that, looked up in PATH order, resolve to BusyBox.</param>
/// <param name="OtherCommands">Common commands that resolve to another program (GNU coreutils, util-linux...).</param>
public sealed record BusyBoxReport(string Version, string Path, int Applets, IReadOnlyList<string> AppletCommands, IReadOnlyList<string> OtherCommands);

/// <summary>A C library: musl, glibc, uclibc, klibc or bionic, its version when known, and where both were read.</summary>
public sealed record LibcReport(string Name, string? Version, IReadOnlyList<Evidence> Evidence);

/// <summary>ELF files seen and how many of the dynamic ones loaded completely in the model.</summary>
/// <param name="DynamicExecutables">ELF files with a PT_INTERP (programs; glibc's libc.so.6 counts too).</param>
/// <param name="SharedLibraries">ELF shared objects without PT_INTERP.</param>
/// <param name="StaticExecutables">Static and static-pie programs: nothing to resolve. A damaged ELF file (an elf-damaged finding) is counted in none of these.</param>
/// <param name="Resolved">Dynamic executables and shared libraries whose whole dependency closure was found.</param>
/// <param name="Scripts">Executable files starting with "#!".</param>
public sealed record LintCounts(int DynamicExecutables, int SharedLibraries, int StaticExecutables, int Resolved, int Scripts);

/// <summary>One problem the loader (or the kernel, for a script) would meet.</summary>
/// <param name="Severity">error, warning or info.</param>
/// <param name="Code">elf-damaged, interpreter-missing, interpreter-damaged, library-missing, library-damaged, symbol-version-missing, wrong-architecture, script-interpreter-missing.</param>
/// <param name="Path">The program, library or script concerned.</param>
/// <param name="Detail">What is wrong, in words.</param>
/// <param name="Evidence">What was read: the PT_INTERP, DT_NEEDED, version need, the directories searched.</param>
public sealed record LintFinding(string Severity, string Code, string Path, string Detail, IReadOnlyList<Evidence> Evidence);
