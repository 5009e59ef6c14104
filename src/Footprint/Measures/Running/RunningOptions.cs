namespace Footprint.Measures.Running;

/// <summary>What `footprint boot` measures and within which limits.</summary>
public sealed record RunningOptions
{
    /// <summary>-m of the reference boot (the idle figures are taken there), in MiB.</summary>
    public int MemoryMiB { get; init; } = 256;

    /// <summary>Whether to bisect the minimum RAM.</summary>
    public bool MinimumRam { get; init; }

    /// <summary>k: boots that must all succeed at the minimum, and the boots whose median is the time to prompt.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Wall-clock limit per boot, in seconds.</summary>
    public double TimeoutSeconds { get; init; } = 60;

    /// <summary>The RAM-resident lower bound of the artifact (Measures/RamResident), in bytes, when known.</summary>
    public long? RamResidentBytes { get; init; }
}
