using Footprint.Advisories.Model;

namespace Footprint.Advisories.Database;

/// <summary>
/// One imported feed as the database records it: its key, kind, the file it was read from, that file's SHA-256 and
/// size, the newest date inside the data (null when the format has none), when it was imported, how many
/// statements it gave and how many records it skipped (OSV entries of non-distro ecosystems).
/// </summary>
public sealed record FeedSnapshot(string Key, FeedKind Kind, string File, string Sha256, long SizeBytes, DateTimeOffset? FeedDate, DateTimeOffset ImportedAt,
    long Advisories, long Skipped);
