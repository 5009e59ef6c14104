using Footprint.FileSystem;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Which packages declare each regular file: by inode (a layered view shares FileData between hard links) and by
/// resolved path (a disk view makes a new node per lookup, so there only the path identifies the file).
/// </summary>
public sealed class FileOwners
{
    private readonly Dictionary<FileData, SortedSet<string>> _byData = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, SortedSet<string>> _byPath = new(StringComparer.Ordinal);

    internal void Add(FileData data, string resolvedPath, string purl)
    {
        Set(_byData, data).Add(purl);
        Set(_byPath, resolvedPath.TrimStart('/')).Add(purl);
    }

    /// <summary>Purls owning the file, sorted; empty when none.</summary>
    public IReadOnlyList<string> Of(FileData data, string path)
        => _byData.TryGetValue(data, out var owners) || _byPath.TryGetValue(path, out owners) ? [.. owners] : [];

    private static SortedSet<string> Set<TKey>(Dictionary<TKey, SortedSet<string>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }
}
