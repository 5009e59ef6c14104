using Footprint.Analyzers.Hardening;

namespace Footprint.Analyzers.Surface;

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
