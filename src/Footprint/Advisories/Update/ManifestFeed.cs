namespace Footprint.Advisories.Update;

/// <summary>One feed of an update manifest: where to get it and, when the publisher gives them, its size and SHA-256.</summary>
public sealed record ManifestFeed(Uri Url, string? Sha256, long? SizeBytes);
