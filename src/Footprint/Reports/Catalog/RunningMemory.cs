namespace Footprint.Reports.Catalog;

/// <summary>
/// The booted system's memory, measured by booting it (issue 12: `footprint boot`, `catalog add --boot`). Only
/// measured figures live here (<see cref="Provenance"/> is always "measured"); published ones are in
/// catalog/published.json and never take this place.
/// </summary>
public sealed record RunningMemory
{
    public const string Measured = "measured";

    public string Provenance { get; init; } = Measured;

    /// <summary>The smallest `-m` that booted in every one of <see cref="MinimumRamBoots"/>.</summary>
    public long? MinimumRamBytes { get; init; }

    /// <summary>The k/k evidence for <see cref="MinimumRamBytes"/>: boots tried at that size and how many reached the prompt.</summary>
    public BootTally? MinimumRamBoots { get; init; }

    /// <summary>Sizes where some boots failed and some succeeded (the boundary is not monotone), when seen.</summary>
    public ByteRange? FlakyBand { get; init; }

    /// <summary>MemTotal - MemAvailable after boot and settling.</summary>
    public long? IdleUsedBytes { get; init; }

    /// <summary>The `-m` the idle figure was taken at.</summary>
    public long? IdleMeasuredAtBytes { get; init; }

    /// <summary>The kernel that booted (it moves the result).</summary>
    public string? Kernel { get; init; }
}
