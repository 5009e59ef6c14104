namespace Footprint.Reports.Comparisons;

/// <summary>
/// Counts of one diff category. Bytes: added counts the new bytes, removed the old bytes, changed the new minus old;
/// <see cref="DeltaBytes"/> is the net effect of all three.
/// </summary>
public sealed record ChangeTotals(
    int Added,
    int Removed,
    int Changed,
    int Unchanged,
    long AddedBytes,
    long RemovedBytes,
    long ChangedDeltaBytes,
    long DeltaBytes);
