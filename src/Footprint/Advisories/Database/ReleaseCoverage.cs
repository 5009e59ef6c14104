using Footprint.Advisories.Model;

namespace Footprint.Advisories.Database;

/// <summary>
/// Which feeds speak for a distro release, and how many statements each gave for it. No feed means the release is
/// not covered: a report must say so, never call it clean.
/// </summary>
public sealed record ReleaseCoverage(DistroRelease Release, IReadOnlyList<CoveringFeed> Feeds)
{
    public bool Covered => Feeds.Count > 0;

    /// <summary>The newest data date over the covering feeds, when any has one.</summary>
    public DateTimeOffset? NewestFeedDate => Feeds.Select(f => f.FeedDate).Where(d => d is not null).DefaultIfEmpty().Max();
}
