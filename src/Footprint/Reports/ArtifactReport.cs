using Footprint.Analyzers.Installed;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Surface;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Inventory;
using Footprint.Measures.RamResident;

namespace Footprint.Reports;

public sealed record ArtifactReport
{
    public required string Input { get; init; }

    /// <summary>docker-archive, oci-layout, oci-archive, rootfs-tar, directory, host.</summary>
    public required string Kind { get; init; }

    public string? ManifestDigest { get; init; }

    /// <summary>
    /// For images: true when every layer's bytes were checked, in the pass that read them, against the digests and
    /// sizes the artifact names (blob digest and size, rootfs.diff_ids); false when they were not (`--no-verify`, or
    /// a legacy docker archive that names no digests; a warning says which). Omitted for artifacts with no digests
    /// to check (rootfs tarballs, directories, media).
    /// </summary>
    public bool? LayersVerified { get; init; }

    public required IdentityReport Identity { get; init; }

    public ConfigReport? Config { get; init; }

    public required DownloadReport Download { get; init; }

    public required InstalledReport Installed { get; init; }

    /// <summary>Packages from the package databases found, with ownership of the installed bytes.</summary>
    public InventoryReport? Inventory { get; init; }

    /// <summary>Only with `report` or `measure --breakdown`: the installed bytes by directory and by package (docs/report-html.md).</summary>
    public Measures.Breakdown.BreakdownReport? Breakdown { get; init; }

    /// <summary>Only with `sbom --files` (or MeasureOptions.ListFiles): every regular file, sorted by path.</summary>
    public IReadOnlyList<FileReport>? Files { get; init; }

    /// <summary>The C library and the loader's view of every dynamic program (docs/lint.md).</summary>
    public LintReport? Lint { get; init; }

    /// <summary>Attack surface and ELF hardening (docs/surface.md).</summary>
    public SurfaceReport? Surface { get; init; }

    /// <summary>Known vulnerabilities of the installed packages, when an advisory database was given (docs/vulnerabilities.md).</summary>
    public Analyzers.Vulnerabilities.VulnerabilityReport? Vulnerabilities { get; init; }

    /// <summary>For live media, disk images and firmware: how the system was composed from the medium.</summary>
    public CompositionReport? Composition { get; init; }

    /// <summary>For composed systems: the RAM a run-from-RAM system must hold (a lower bound, docs/live.md).</summary>
    public RamResidentReport? RamResident { get; init; }

    /// <summary>For a kernel image: its version, sizes, compressor, embedded configuration and built-in initramfs (docs/kernel.md).</summary>
    public Measures.Kernel.KernelImageReport? Kernel { get; init; }

    /// <summary>The module trees of a root filesystem (/lib/modules/VERSION), one per kernel version.</summary>
    public Analyzers.KernelModules.KernelModulesReport? KernelModules { get; init; }

    /// <summary>Running memory of the booted artifact (`measure --boot`; docs/boot.md): null unless asked for.</summary>
    public Measures.Running.RunningMemoryReport? RunningMemory { get; init; }

    public IReadOnlyList<string> ExcludedPaths { get; init; } = [];

    /// <summary>
    /// Only when `--disable` or `--only` was given: every analyzer and measure with whether it ran, so a section that
    /// is missing is known to be left out, not found empty.
    /// </summary>
    public IReadOnlyList<AnalyzerRunReport>? Analyzers { get; init; }

    public required IReadOnlyList<WarningReport> Warnings { get; init; }
}
