namespace Footprint.Advisories.Feeds;

/// <summary>
/// Bounds on what a feed may make the importer read; none comes from the input. The defaults hold the real feeds
/// with room (the Debian tracker JSON is ~80 MiB, OSV's Debian all.zip ~60k entries of a few KiB).
/// </summary>
public sealed record FeedLimits
{
    /// <summary>A JSON, YAML or text feed is read whole; larger files are refused.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>Entries in one OSV zip.</summary>
    public int MaxZipEntries { get; init; } = 1_000_000;

    /// <summary>Uncompressed bytes of one zip entry (an OSV record is a few KiB; the largest are under 1 MiB).</summary>
    public long MaxZipEntryBytes { get; init; } = 16L << 20;

    /// <summary>Uncompressed bytes of a whole zip.</summary>
    public long MaxZipTotalBytes { get; init; } = 8L << 30;

    /// <summary>Uncompressed over compressed size allowed past <see cref="ZipRatioGraceBytes"/> (OSV zips run near 10).</summary>
    public long MaxZipRatio { get; init; } = 200;

    public long ZipRatioGraceBytes { get; init; } = 64L << 20;

    public static FeedLimits Default { get; } = new();
}
