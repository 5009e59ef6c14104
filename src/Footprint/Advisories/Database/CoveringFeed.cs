using Footprint.Advisories.Model;

namespace Footprint.Advisories.Database;

/// <summary>One feed's contribution to a release's coverage.</summary>
public sealed record CoveringFeed(string Key, FeedKind Kind, DateTimeOffset? FeedDate, DateTimeOffset ImportedAt, long Advisories);
