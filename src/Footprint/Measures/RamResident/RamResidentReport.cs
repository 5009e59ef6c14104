namespace Footprint.Measures.RamResident;

/// <summary>
/// The bytes a system that runs from RAM must hold after boot: a lower bound on running memory, not a measurement
/// of it (the kernel, page tables, slab and every process come on top).
/// </summary>
public sealed record RamResidentReport
{
    /// <summary>With the distro's default boot options on a machine with little RAM.</summary>
    public long MinimumBytes { get; init; }

    /// <summary>With everything copied into RAM (toram, copy2fs, copy2ram, pfix=copy).</summary>
    public long ToRamBytes { get; init; }

    public required string Explanation { get; init; }

    public required IReadOnlyList<RamComponentReport> Components { get; init; }

    /// <summary>bzImage init_size of the kernel, when known: reported beside, not added in.</summary>
    public long? KernelInitSizeBytes { get; init; }
}
