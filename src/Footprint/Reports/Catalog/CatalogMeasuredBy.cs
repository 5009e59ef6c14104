namespace Footprint.Reports.Catalog;

/// <summary>What measured the entry: Footprint's version and every analyzer and measure with its version.</summary>
public sealed record CatalogMeasuredBy(string Tool, string Version, IReadOnlyList<AnalyzerVersion> Analyzers);
