namespace Footprint.Reports;

/// <summary>
/// What an attacker who gets code execution (or a login) inside the artifact would find: shells, package managers,
/// interpreters, privileged files, accounts, services and daemons, plus the ELF hardening of every program and
/// library. Every item names its file and layer and says why it was counted. See docs/surface.md.
/// </summary>
public sealed record SurfaceReport
{
    /// <summary>Weighted points per item class (docs/surface.md); lower is a smaller surface.</summary>
    public required SurfaceScoreReport Score { get; init; }

    public required IReadOnlyList<SurfaceItem> Shells { get; init; }

    public required IReadOnlyList<SurfaceItem> PackageManagers { get; init; }

    public required IReadOnlyList<SurfaceItem> Interpreters { get; init; }

    /// <summary>Regular files with the set-user-ID or set-group-ID bit.</summary>
    public required IReadOnlyList<SetIdFileReport> SetIdFiles { get; init; }

    /// <summary>Files with a <c>security.capability</c> extended attribute.</summary>
    public required IReadOnlyList<FileCapabilityReport> Capabilities { get; init; }

    /// <summary>Regular files writable by anyone, and directories writable by anyone without the sticky bit.</summary>
    public required IReadOnlyList<SurfaceItem> WorldWritable { get; init; }

    public required AccountsReport Accounts { get; init; }

    public required InitReport Init { get; init; }

    /// <summary>Network daemons present, with the ports their configuration names (or the program's default).</summary>
    public required IReadOnlyList<DaemonReport> Daemons { get; init; }

    /// <summary>From the image configuration; null for artifacts without one (rootfs tarballs, directories).</summary>
    public ImageSurfaceReport? Image { get; init; }

    /// <summary>The CA certificate bundle TLS clients read, or null when there is none.</summary>
    public SurfaceItem? CaCertificates { get; init; }

    public required HardeningReport Hardening { get; init; }
}

/// <summary>One finding: its name, the file that shows it, the layer that wrote that file, and why it counts.</summary>
public sealed record SurfaceItem(string Name, string Path, int? Layer, string Why);

/// <summary>
/// <para>Total: Sum of <see cref="Classes"/> points.</para>
/// </summary>
public sealed record SurfaceScoreReport(int Total, IReadOnlyList<SurfaceScoreClass> Classes);

/// <summary>One class of item in the score: how many were counted, at how many points each.</summary>
public sealed record SurfaceScoreClass(string Class, int Count, int Weight, int Points);

/// <summary>
/// <para>Mode: Permission bits in octal, e.g. "4755".</para>
/// </summary>
public sealed record SetIdFileReport(string Path, int? Layer, bool SetUid, bool SetGid, long Uid, long Gid, string Mode);

/// <summary>
/// <para>Version: vfs_cap_data revision: 1, 2 or 3.</para>
/// <para>Effective: The effective bit: permitted capabilities are raised at exec.</para>
/// <para>RootId: Version 3 only: the namespace root user id the capabilities apply to.</para>
/// <para>Text: As getcap(8) prints it, e.g. "cap_net_raw=ep".</para>
/// </summary>
public sealed record FileCapabilityReport(string Path, int? Layer, int Version, bool Effective, IReadOnlyList<string> Permitted,
    IReadOnlyList<string> Inheritable, long? RootId, string Text);

public sealed record AccountsReport
{
    /// <summary>Every line of etc/passwd, in file order.</summary>
    public required IReadOnlyList<AccountReport> Users { get; init; }

    public int Groups { get; init; }

    /// <summary>Accounts with an empty password, a missing hash, or uid 0 other than root.</summary>
    public required IReadOnlyList<SurfaceItem> Findings { get; init; }

    /// <summary>The files read (etc/passwd, etc/shadow, etc/group).</summary>
    public required IReadOnlyList<Evidence> Evidence { get; init; }
}

/// <summary>
/// <para>Password: set, empty, locked, disabled ("*": no password login), missing (no shadow line), unknown (no shadow file).</para>
/// <para>LoginShell: The shell is not nologin, false or sync.</para>
/// </summary>
public sealed record AccountReport(string Name, long Uid, long Gid, string Home, string Shell, bool LoginShell, string Password);

/// <summary>
/// <para>System: systemd, openrc, runit, sysvinit, busybox, s6, procd or none.</para>
/// </summary>
public sealed record InitReport(string System, IReadOnlyList<Evidence> Evidence, IReadOnlyList<SurfaceItem> Services);

/// <summary>
/// <para>Ports: TCP/UDP ports the configuration names, else the program's default.</para>
/// <para>PortSource: The configuration line the ports come from, or "default".</para>
/// </summary>
public sealed record DaemonReport(string Name, string Path, int? Layer, string Why, IReadOnlyList<int> Ports, string PortSource);

public sealed record ImageSurfaceReport(string? User, bool RunsAsRoot, IReadOnlyList<string> ExposedPorts, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd);

/// <summary>checksec's flags for every executable and shared library, and their coverage.</summary>
public sealed record HardeningReport(IReadOnlyList<HardeningCoverage> Coverage, IReadOnlyList<ElfHardeningReport> Files);

/// <summary>
/// <para>Flag: pie, relro-full, nx, canary, fortify, no-rpath, stripped.</para>
/// <para>Applicable: Files the flag is judged on (distinct inodes; pie: executables only; fortify: without "unknown").</para>
/// <para>Yes: Files that have it.</para>
/// <para>Percent: Yes over applicable, 0-100 with one decimal; 100 when nothing applies.</para>
/// </summary>
public sealed record HardeningCoverage(string Flag, int Applicable, int Yes, double Percent);

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
