namespace Footprint.Measures.Breakdown;

/// <summary>What the walk added up for one directory: first its own entries, then (after the roll-up) its whole subtree.</summary>
internal sealed class DirectoryTotals
{
    public long ApparentBytes { get; set; }

    public long OnDiskBytes { get; set; }

    public long Files { get; set; }

    public long OwnedBytes { get; set; }

    /// <summary>Subdirectory paths (walk form, no leading slash), filled by the roll-up.</summary>
    public List<string>? Children { get; set; }
}
