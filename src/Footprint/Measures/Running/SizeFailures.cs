namespace Footprint.Measures.Running;

/// <summary>The failure classes seen at one size of the minimum-RAM search.</summary>
public sealed record SizeFailures(int MemoryMiB, IReadOnlyList<string> Outcomes);
