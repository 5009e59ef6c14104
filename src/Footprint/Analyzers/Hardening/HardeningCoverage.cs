namespace Footprint.Analyzers.Hardening;

/// <summary>
/// <para>Flag: pie, relro-full, nx, canary, fortify, no-rpath, stripped.</para>
/// <para>Applicable: Files the flag is judged on (distinct inodes; pie: executables only; fortify: without "unknown").</para>
/// <para>Yes: Files that have it.</para>
/// <para>Percent: Yes over applicable, 0-100 with one decimal; 100 when nothing applies.</para>
/// </summary>
public sealed record HardeningCoverage(string Flag, int Applicable, int Yes, double Percent);
