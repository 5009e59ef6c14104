namespace Footprint.Measures.Breakdown;

/// <summary>
/// The installed bytes broken down by directory and by package, bounded so that a host with a million files still
/// gives a short list (what the HTML report's treemaps draw; docs/report-html.md). Only when asked for
/// (`report`, `measure --breakdown`).
/// </summary>
public sealed record BreakdownReport
{
    /// <summary>At most this many directories are listed; the rest is folded into their parents' unlisted bytes.</summary>
    public int MaxDirectories { get; init; }

    /// <summary>A directory below this many apparent bytes is not listed (folded into its parent's unlisted bytes).</summary>
    public long MinDirectoryBytes { get; init; }

    /// <summary>The listed directories, sorted by path; "/" first. Each listed directory's parent is listed.</summary>
    public required IReadOnlyList<DirectoryShare> Directories { get; init; }

    /// <summary>Packages by the bytes they own (each file counted for the first package that claims it), largest first.</summary>
    public required IReadOnlyList<PackageShare> Packages { get; init; }

    /// <summary>Packages not listed (beyond the first <see cref="MaxPackages"/>), and their bytes.</summary>
    public int OtherPackages { get; init; }

    public long OtherPackagesBytes { get; init; }

    public int MaxPackages { get; init; }

    /// <summary>inventory.ownedBytes: the sum of every package's owned bytes, listed or not.</summary>
    public long OwnedBytes { get; init; }

    /// <summary>inventory.unownedBytes.</summary>
    public long UnownedBytes { get; init; }
}
