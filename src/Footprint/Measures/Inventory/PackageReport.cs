using Footprint.Walk;

namespace Footprint.Measures.Inventory;

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
