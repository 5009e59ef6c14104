using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>
/// What <see cref="ReportCache.MeasureOrStoredJson"/> gives: the stored JSON document of a whole-report cache hit, or
/// the report measured (a miss, or a run the cache does not serve). Exactly one is set.
/// </summary>
internal readonly record struct StoredOrMeasured(ArtifactReport? Report, byte[]? Json);
