namespace Footprint.Measures.Inventory;

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
