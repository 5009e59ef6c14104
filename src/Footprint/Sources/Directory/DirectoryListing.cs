namespace Footprint.Sources.Directory;

/// <summary>One directory read from disk: its entries in ordinal order, each already stat'ed, or why it could not be listed.</summary>
internal sealed record DirectoryListing(DirectoryEntryInfo[] Entries, string? Error);

/// <summary>
/// One entry of a <see cref="DirectoryListing"/>: statx(2) without following symlinks (null: vanished or no
/// permission), the link target of a symlink, the file capability of an executable; nothing for excluded paths.
/// </summary>
internal sealed record DirectoryEntryInfo(string Full, string Name, bool Excluded, NativeStat.Info? Stat, string? LinkTarget, byte[]? Capability);
