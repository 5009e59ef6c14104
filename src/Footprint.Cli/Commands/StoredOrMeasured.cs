using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>
/// What <see cref="ReportCache.MeasureOrStoredJson"/> gives: the JSON document to write as it is (a whole-report cache
/// hit's stored bytes, or a cacheable miss's rendering, which is also what is stored), and the report measured (a miss,
/// or a run the cache does not serve). At least one is set; a hit has no report.
/// </summary>
internal readonly record struct StoredOrMeasured(ArtifactReport? Report, byte[]? Json);
