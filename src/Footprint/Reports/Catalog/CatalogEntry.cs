namespace Footprint.Reports.Catalog;

/// <summary>
/// One system a user can choose from (docs/choose.md, docs/catalog.schema.json): what it is, what it weighs on each
/// axis, and what measured it. Every figure is the one the artifact's `measure` report carries (read through
/// <see cref="Comparisons.ComparisonBuilder"/>, the same reading `compare` does); null means "not measured", never zero.
/// </summary>
public sealed record CatalogEntry
{
    /// <summary>Unique in a catalog: the key `catalog remove` and `choose` name it by.</summary>
    public required string Name { get; init; }

    public required CatalogIdentity Identity { get; init; }

    public required CatalogArtifact Artifact { get; init; }

    public required CatalogSizes Sizes { get; init; }

    /// <summary>The booted system's memory (`catalog add --boot`, issue 12); null until it has been measured.</summary>
    public RunningMemory? RunningMemory { get; init; }

    /// <summary>glibc, musl, uclibc or none (no C library found), with the version when known.</summary>
    public required CatalogLibc Libc { get; init; }

    /// <summary>systemd, openrc, runit, sysvinit, busybox, s6, procd or none; null when the surface analyzer did not run.</summary>
    public string? Init { get; init; }

    public IReadOnlyList<string> Shells { get; init; } = [];

    public IReadOnlyList<string> PackageManagers { get; init; } = [];

    /// <summary>Installed packages (name and version), sorted by name then version.</summary>
    public IReadOnlyList<CatalogPackage> Packages { get; init; } = [];

    /// <summary>Names a shell finds on the default PATH (symlinks followed to an executable regular file), sorted.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Weighted surface points (docs/surface.md); null when the surface analyzer did not run.</summary>
    public long? SurfaceScore { get; init; }

    /// <summary>Counted findings, when the entry was measured with --db and the database covers the release.</summary>
    public CatalogVulnerabilities? Vulnerabilities { get; init; }

    public required CatalogMeasuredBy MeasuredBy { get; init; }
}
