namespace Footprint.Reports;

/// <summary>
/// The one data model every writer renders. Versioned; documented by docs/report.schema.json.
/// Every number carries its evidence (which layer, which file, how it was obtained).
/// </summary>
public sealed record Report
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required ToolInfo Tool { get; init; }

    public required IReadOnlyList<ArtifactReport> Artifacts { get; init; }
}

public sealed record ToolInfo(string Name, string Version);

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

    /// <summary>Only with `sbom --files` (or MeasureOptions.ListFiles): every regular file, sorted by path.</summary>
    public IReadOnlyList<FileReport>? Files { get; init; }

    /// <summary>The C library and the loader's view of every dynamic program (docs/lint.md).</summary>
    public LintReport? Lint { get; init; }

    /// <summary>Attack surface and ELF hardening (docs/surface.md).</summary>
    public SurfaceReport? Surface { get; init; }

    /// <summary>For live media, disk images and firmware: how the system was composed from the medium.</summary>
    public CompositionReport? Composition { get; init; }

    /// <summary>For composed systems: the RAM a run-from-RAM system must hold (a lower bound, docs/live.md).</summary>
    public RamResidentReport? RamResident { get; init; }

    public IReadOnlyList<string> ExcludedPaths { get; init; } = [];

    public required IReadOnlyList<WarningReport> Warnings { get; init; }
}

/// <summary>Where a fact came from.</summary>
/// <param name="Path">Path inside the artifact (or blob name).</param>
/// <param name="Layer">Layer index, when the fact comes from one layer.</param>
/// <param name="Detail">What was read there.</param>
public sealed record Evidence(string Path, int? Layer, string Detail);

public sealed record IdentityReport(OsReport? Os, ArchitectureReport? Architecture);

public sealed record OsReport
{
    /// <summary>os-release ID (alpine, debian, openwrt, tinycore...).</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    public string? VersionId { get; init; }

    public string? PrettyName { get; init; }

    /// <summary>Version from the distro's own file (alpine-release, debian_version, openwrt_release, release.txt).</summary>
    public string? DistroVersion { get; init; }

    /// <summary>The release's codename, beside the exact version (os-release VERSION_CODENAME, openwrt_release DISTRIB_CODENAME, or a name such as "Chaos Calmer" written where the version belongs).</summary>
    public string? Codename { get; init; }

    public required IReadOnlyList<Evidence> Evidence { get; init; }
}

public sealed record ArchitectureReport(string Value, string Source, IReadOnlyList<Evidence> Evidence);

public sealed record ConfigReport(string? Os, string? Architecture, string? Variant, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd,
    string? User, string? WorkingDir, IReadOnlyList<string> ExposedPorts, string? Created);

public sealed record DownloadReport
{
    /// <summary>Bytes a pull transfers; null when the artifact is not downloaded as such (a directory, the host).</summary>
    public long? TotalBytes { get; init; }

    /// <summary>registry-blobs | recompressed | file | not-applicable.</summary>
    public required string Method { get; init; }

    public required string Explanation { get; init; }

    public long? ManifestBytes { get; init; }

    /// <summary>True when the manifest was not in the artifact and its size was computed from the one a push would write.</summary>
    public bool ManifestEstimated { get; init; }

    public long? ConfigBytes { get; init; }

    public required IReadOnlyList<DownloadLayerReport> Layers { get; init; }

    public HaveReport? Have { get; init; }
}

public sealed record DownloadLayerReport
{
    public int Index { get; init; }

    public string? Digest { get; init; }

    public string? DiffId { get; init; }

    public string? MediaType { get; init; }

    /// <summary>none, gzip, xz, zstd, bzip2: how the blob is stored in the artifact.</summary>
    public required string Compression { get; init; }

    public long StoredBytes { get; init; }

    public long DownloadBytes { get; init; }

    /// <summary>stored (the blob as is) or recompressed (gzip -6 of the uncompressed blob, really computed).</summary>
    public required string Method { get; init; }

    /// <summary>Digest of the gzip stream that was computed, when recompressed.</summary>
    public string? PushDigest { get; init; }
}

public sealed record HaveReport(string Other, long BytesToPull, int SharedLayers, long SharedBytes, IReadOnlyList<int> LayersToPull);

public sealed record InstalledReport
{
    /// <summary>Sum of regular-file sizes of the squashed view, hard links once.</summary>
    public long ApparentBytes { get; init; }

    /// <summary>Bytes occupied on an ext4-like filesystem with <see cref="BlockSizeBytes"/> blocks (see docs/measures.md).</summary>
    public long OnDiskBytes { get; init; }

    public int BlockSizeBytes { get; init; }

    public long Files { get; init; }

    public long Directories { get; init; }

    public long Symlinks { get; init; }

    /// <summary>Extra names of files already counted (link count minus one, summed).</summary>
    public long HardLinks { get; init; }

    public long Devices { get; init; }

    public long Other { get; init; }

    public required IReadOnlyList<DirectoryUsage> TopDirectories { get; init; }

    public required IReadOnlyList<FileUsage> LargestFiles { get; init; }

    public required IReadOnlyList<LayerUsage> Layers { get; init; }

    /// <summary>Bytes stored in layers that the final view does not show (all copies of a path minus the one kept).</summary>
    public long WastedBytes { get; init; }

    /// <summary>Kept bytes / bytes stored across all layers (1.0 = no waste).</summary>
    public double Efficiency { get; init; }
}

public sealed record DirectoryUsage(string Path, long ApparentBytes, long OnDiskBytes, long Files);

public sealed record FileUsage(string Path, long Bytes, int Layer);

public sealed record LayerUsage
{
    public int Index { get; init; }

    public string? Digest { get; init; }

    public long Entries { get; init; }

    public long StoredBytes { get; init; }

    public long StoredFiles { get; init; }

    public long AddedBytes { get; init; }

    public long AddedFiles { get; init; }

    public long ModifiedBytes { get; init; }

    public long ModifiedFiles { get; init; }

    public long RemovedBytes { get; init; }

    public long RemovedFiles { get; init; }

    public long WastedBytes { get; init; }

    public long WastedFiles { get; init; }

    public int Whiteouts { get; init; }

    public int OpaqueDirectories { get; init; }
}

public sealed record WarningReport(string Code, string Message, string Source, string? Path, long? Offset);

/// <summary>Packages the artifact's package databases record, reconciled with the files present.</summary>
public sealed record InventoryReport
{
    /// <summary>Each database file read. Empty when the artifact has none ("no package database", never "0 packages").</summary>
    public required IReadOnlyList<PackageDatabaseReport> Databases { get; init; }

    public required IReadOnlyList<PackageReport> Packages { get; init; }

    /// <summary>Records that could not be read, with where they are.</summary>
    public required IReadOnlyList<UnknownReport> Unknowns { get; init; }

    /// <summary>Apparent bytes of regular files some package declares (hard links once).</summary>
    public long OwnedBytes { get; init; }

    /// <summary>Apparent bytes of the installed footprint that no package declares.</summary>
    public long UnownedBytes { get; init; }

    /// <summary>With --base: what the base image brought and what this image added.</summary>
    public BaseSplitReport? Base { get; init; }
}

/// <summary>The base-versus-added split: a base is known when its layers are the first layers of the image.</summary>
public sealed record BaseSplitReport
{
    /// <summary>The base as given.</summary>
    public required string Reference { get; init; }

    /// <summary>True when the base's layers (diff ids, else blob digests) are a prefix of the image's.</summary>
    public bool Matched { get; init; }

    /// <summary>Why the base does not match, when it does not.</summary>
    public string? Reason { get; init; }

    /// <summary>Layers of the image that come from the base (0..BaseLayers-1).</summary>
    public int BaseLayers { get; init; }

    public int BasePackages { get; init; }

    /// <summary>Packages the base brought that a later layer changed (upgraded, downgraded or rebuilt).</summary>
    public int ChangedPackages { get; init; }

    public int AddedPackages { get; init; }

    /// <summary>Bytes the added layers wrote (added plus modified files).</summary>
    public long AddedBytes { get; init; }

    /// <summary>Bytes of the base the added layers deleted or overwrote.</summary>
    public long RemovedBytes { get; init; }
}

public sealed record PackageDatabaseReport(string Ecosystem, string Path, int Packages);

public sealed record PackageReport
{
    public required string Ecosystem { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public string? Architecture { get; init; }

    public string? Source { get; init; }

    public string? License { get; init; }

    public required string Purl { get; init; }

    /// <summary>Installed size the database declares, in bytes.</summary>
    public long? DeclaredBytes { get; init; }

    /// <summary>Bytes of the declared files present in the squashed view; absent when the database lists no files.</summary>
    public long? MeasuredBytes { get; init; }

    public int DeclaredFiles { get; init; }

    public int MissingFiles { get; init; }

    /// <summary>database-and-files, database-only, or files-only (no database records it; see <see cref="FoundBy"/>).</summary>
    public required string Grade { get; init; }

    /// <summary>files-only packages: how they were found.</summary>
    public string? FoundBy { get; init; }

    /// <summary>Purls of the installed packages that satisfy this package's dependencies (same database), sorted.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Dependency expressions, as written, that no installed package satisfies.</summary>
    public IReadOnlyList<string> UnresolvedDepends { get; init; } = [];

    /// <summary>Image layers only: the layer whose copy of the database first lists the package.</summary>
    public int? IntroducedInLayer { get; init; }

    /// <summary>With a matched --base: "base", "base-changed" (a later layer changed it) or "added".</summary>
    public string? Origin { get; init; }

    /// <summary>Image layers only: later layers whose database copy records another version.</summary>
    public IReadOnlyList<int>? ChangedInLayers { get; init; }

    public required Evidence Evidence { get; init; }

    /// <summary>
    /// Software found in the package's own files (the BusyBox version string in the /bin/busybox it installed): evidence
    /// that confirms this package, not a second package. Null when there is none.
    /// </summary>
    public IReadOnlyList<Evidence>? BinaryEvidence { get; init; }
}

public sealed record UnknownReport(string Path, int Line, string Reason);

/// <summary>One regular file of the squashed view (`sbom --files`): digests of its bytes and the packages that declare it.</summary>
public sealed record FileReport(string Path, long Bytes, int Layer, string Sha1, string Sha256, IReadOnlyList<string> OwnedBy);
