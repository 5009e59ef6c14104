using Footprint.FileSystem;
using Footprint.Reports;

namespace Footprint.Measures;

/// <summary>
/// The regular files of the squashed view with their digests (hashed by the loader while layers streamed, or read
/// from disk here for directory sources) and the packages whose lists declare them (recorded by PackageOwnership's
/// resolution pass).
/// </summary>
public static class FileListing
{
    public static IReadOnlyList<FileReport> Build(IReadOnlyList<(string Path, FileData Data)> files, FileOwners owners)
    {
        var result = new List<FileReport>(files.Count);
        foreach (var (path, data) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var digests = data.Digests;
            if (digests is null && data.Content is DiskContent disk)
            {
                try
                {
                    using var stream = disk.Open();
                    digests = data.Digests = FileDigests.Of(stream);
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }
            }

            if (digests is null)
            {
                continue;
            }

            result.Add(new FileReport("/" + path, data.SizeBytes, data.LayerIndex, digests.Sha1, digests.Sha256,
                owners.Of(data, path)));
        }

        return result;
    }
}

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
