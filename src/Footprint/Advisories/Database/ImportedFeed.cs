using Footprint.Advisories.Feeds;

namespace Footprint.Advisories.Database;

/// <summary>One file's import: the parsed batch, its digest and size, and the outcome.</summary>
public sealed record ImportedFeed(FeedBatch Batch, string Sha256, long SizeBytes, ImportOutcome Outcome);
