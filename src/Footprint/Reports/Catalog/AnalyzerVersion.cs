namespace Footprint.Reports.Catalog;

/// <summary>An analyzer or measure id with the version that ran (the version keys the cache: output changed when it moved).</summary>
public sealed record AnalyzerVersion(string Id, int Version);
