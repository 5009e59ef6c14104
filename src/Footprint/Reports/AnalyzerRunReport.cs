namespace Footprint.Reports;

/// <summary>One analyzer or measure and whether it ran (reported only when `--disable` or `--only` left some out).</summary>
/// <param name="Id">Its registry id.</param>
/// <param name="Version">Its version (part of every cache key).</param>
/// <param name="Status">ran, disabled, or not selected by --only.</param>
public sealed record AnalyzerRunReport(string Id, int Version, string Status);
