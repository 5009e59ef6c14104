using System.Runtime.InteropServices;
using Footprint.FileSystem;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Regular files claimed by packages, each counted once, with the first package that claimed it. A file is known
/// by its <see cref="FileData"/> (hard links share one) and by its resolved path: a directory on disk
/// (<c>DiskView</c>) makes a new <see cref="FileData"/> at every lookup of a file with a single link, so two
/// lookups of /usr/bin/app are the same file only by path. Keyed on both, /usr/bin/app declared by two packages,
/// or reached through a symlinked directory, is counted once on every kind of view.
/// </summary>
internal sealed class OwnedFiles
{
    private readonly Dictionary<FileData, int> _byData = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);
    private readonly List<(FileData Data, string Path, int Owner)>? _claims;

    /// <param name="keepClaims">Remember every claim in order, for <see cref="Claims"/> (the breakdown by directory and package).</param>
    public OwnedFiles(bool keepClaims = false) => _claims = keepClaims ? [] : null;

    /// <summary>Every claim made, in order (each file once), when kept; empty otherwise.</summary>
    public IReadOnlyList<(FileData Data, string Path, int Owner)> Claims => _claims ?? [];

    /// <summary>Apparent bytes of the files claimed.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// A file on disk with a single link: it has one path, and the directory view makes a new <see cref="FileData"/> at
    /// every lookup of it, so its record could never be met again. Keyed by its path alone: holding the record (with
    /// its content handle and full path, ~300 bytes) for each of a host's 120k claimed files only raised the peak RSS.
    /// </summary>
    private static bool KnownByPathOnly(FileData data) => data.LinkCount <= 1 && data.Content is DiskContent;

    /// <summary>The owner given when the file was first claimed, or -1 when nobody claimed it.</summary>
    public int OwnerOf(FileData data, string resolvedPath)
        => _byData.TryGetValue(data, out var owner) || _byPath.TryGetValue(resolvedPath, out owner) ? owner : -1;

    /// <summary>Claims the file for <paramref name="owner"/>; false (and nothing counted) when it was claimed before.</summary>
    public bool Claim(FileData data, string resolvedPath, int owner)
    {
        var byPathOnly = KnownByPathOnly(data);
        if (!byPathOnly)
        {
            // One lookup per table (add-or-find), not a look then an add: the path is hashed once.
            ref var byData = ref CollectionsMarshal.GetValueRefOrAddDefault(_byData, data, out var knownData);
            if (knownData)
            {
                return false;
            }

            byData = owner;
        }

        ref var byPath = ref CollectionsMarshal.GetValueRefOrAddDefault(_byPath, resolvedPath, out var knownPath);
        if (knownPath)
        {
            // Claimed before under another record (a disk view's second lookup): this one is not the owner's either.
            if (!byPathOnly)
            {
                _byData.Remove(data);
            }

            return false;
        }

        byPath = owner;
        _claims?.Add((data, resolvedPath, owner));
        Bytes += data.SizeBytes;
        return true;
    }
}
