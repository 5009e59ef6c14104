namespace Footprint.Measures.Running;

/// <summary>
/// The result of the minimum-RAM search: the smallest -m that booted <see cref="Repeats"/> times out of as many, the
/// flaky band (sizes where some boots booted and some failed: the boundary is not monotone), the failure class seen
/// at each failing size, every trial in order, and what the search cost.
/// </summary>
public sealed record MinimumRam
{
    /// <summary>Smallest size that booted k of k, in MiB; null when even the reference size did not confirm.</summary>
    public int? MinimumMiB { get; init; }

    public required int Repeats { get; init; }

    /// <summary>Sizes (MiB) where boots both booted and failed.</summary>
    public required IReadOnlyList<int> FlakyMiB { get; init; }

    /// <summary>Per failing size, the failure classes seen there, smallest size first.</summary>
    public required IReadOnlyList<SizeFailures> Failures { get; init; }

    public required IReadOnlyList<SizeTrial> Trials { get; init; }

    /// <summary>Where the search started: the RAM-resident lower bound plus the kernel's init_size, in MiB.</summary>
    public required int LowerBoundMiB { get; init; }

    /// <summary>The size that booted first (the reference boot), in MiB.</summary>
    public required int ReferenceMiB { get; init; }

    /// <summary>Per-boot time limit used, scaled from the reference boot.</summary>
    public required double TimeoutSeconds { get; init; }

    public int Boots => Trials.Count;

    public required double WallSeconds { get; init; }
}
