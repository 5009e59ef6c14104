namespace Footprint.Reports.Comparisons;

/// <summary>
/// One measured figure across the compared artifacts, in the order of <see cref="Comparison.Artifacts"/>.
/// </summary>
/// <param name="Id">Stable kebab-case id (download-bytes, installed-apparent-bytes...; docs/compare.md lists them).</param>
/// <param name="Label">What the table prints.</param>
/// <param name="Unit">bytes, points, findings or count.</param>
/// <param name="Better">"smaller" when the smaller value wins, null when the figure is shown but not ranked.</param>
/// <param name="Values">The figure of each artifact, exactly as its report has it; null when its report has no such figure.</param>
/// <param name="Winners">Indexes of the artifacts with the smallest value (several on a tie); empty when the row is not
/// ranked or fewer than two artifacts have the figure.</param>
/// <param name="Differences">With a baseline: each value minus the baseline's (0 for the baseline itself); null where
/// either value is missing. Absent without a baseline.</param>
public sealed record ComparisonRow(
    string Id,
    string Label,
    string Unit,
    string? Better,
    IReadOnlyList<long?> Values,
    IReadOnlyList<int> Winners,
    IReadOnlyList<long?>? Differences = null);
