namespace Footprint.Sources.Directory;

/// <summary>One directory read from disk: its entries in ordinal order, each already stat'ed, or why it could not be listed.</summary>
internal sealed record DirectoryListing(DirectoryEntryInfo[] Entries, string? Error);
