namespace Footprint.Measures.Running;

/// <summary>One boot of the minimum-RAM search: the size, how it ended (<see cref="MinimumRamSearch.Describe"/>), how long it took.</summary>
public sealed record SizeTrial(int MemoryMiB, string Outcome, double Seconds);
