namespace Footprint.Analyzers.Hardening;

/// <summary>checksec's flags for every executable and shared library, and their coverage.</summary>
public sealed record HardeningReport(IReadOnlyList<HardeningCoverage> Coverage, IReadOnlyList<ElfHardeningReport> Files);
