namespace Footprint.Formats.Squashfs;

/// <summary>
/// Data accounting over the regular files walked so far (complete after <see cref="SquashfsReader.GetNextEntry"/> has
/// returned null). Hard-linked names count once (one inode).
/// </summary>
/// <param name="FileCount">Regular file inodes seen.</param>
/// <param name="FileBytes">Sum of their logical sizes.</param>
/// <param name="StoredDataBytes">Compressed bytes of their data: every block run (keyed by its start) and every
/// fragment block counted once, however many files share it.</param>
/// <param name="DuplicateBytesSaved">Stored bytes of files whose blocks (same start block) or tail (same fragment and
/// offset) are shared with a file seen before: what mksquashfs's duplicate detection saved.</param>
public sealed record SquashfsDataStats(long FileCount, long FileBytes, long StoredDataBytes, long DuplicateBytesSaved);
