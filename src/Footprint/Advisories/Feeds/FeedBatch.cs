using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// What one feed file yields: its advisories, and the distro releases it covers (a release the feed speaks for
/// even when it lists nothing for it, such as an empty Alpine community.yaml). <paramref name="Key"/> names the feed
/// so that importing a newer copy replaces the older one (<c>alpine-secfixes:3.10/main</c>, <c>debian-dsa</c>,
/// <c>osv:Debian</c>...). <paramref name="FeedDate"/> is the newest date inside the data (a DSA's date, an OSV
/// <c>modified</c>, an event timestamp), null when the format has none.
/// </summary>
public sealed record FeedBatch(
    FeedKind Kind,
    string File,
    string Key,
    IReadOnlyList<Advisory> Advisories,
    IReadOnlySet<DistroRelease> Coverage,
    DateTimeOffset? FeedDate,
    int SkippedRecords);
