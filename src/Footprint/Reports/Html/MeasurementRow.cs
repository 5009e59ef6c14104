namespace Footprint.Reports.Html;

/// <summary>
/// One measurement of the side-by-side table: its label, the JSON path (below the artifact) and value for an
/// artifact (null when not measured), whether it is bytes, and the method, said briefly, for an artifact.
/// </summary>
public sealed record MeasurementRow(string Label, Func<ArtifactReport, (string Path, long Value)?> Read, bool IsBytes, Func<ArtifactReport, string?> Method);
