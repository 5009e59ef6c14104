using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Reports;

namespace Footprint.Measures;

/// <summary>
/// The regular files of the squashed view with their digests (hashed by the loader while layers streamed, or read
/// from disk here for directory sources) and the packages whose lists declare them (resolved as ownership does).
/// </summary>
public static class FileListing
{
    public static IReadOnlyList<FileReport> Build(IFileSystemView view, IReadOnlyList<(string Path, FileData Data)> files, IEnumerable<Analyzers.Packages.PackageInventory> inventories)
    {
        // By inode (a layered view shares FileData between hard links) and by resolved path (a disk view makes new
        // nodes per lookup, so only the path identifies the file there).
        var owners = new Dictionary<FileData, SortedSet<string>>(ReferenceEqualityComparer.Instance);
        var ownersByPath = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var p in inventories.SelectMany(i => i.Packages))
        {
            foreach (var declared in p.Files)
            {
                FsNode? node;
                try
                {
                    node = view.Resolve(declared.TrimStart('/'), followFinal: false, out var resolved);
                    if (node is { Kind: FileKind.Regular })
                    {
                        var key = resolved.TrimStart('/');
                        if (!ownersByPath.TryGetValue(key, out var byPath))
                        {
                            ownersByPath[key] = byPath = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        byPath.Add(p.Purl);
                    }
                }
                catch (SymlinkLoopException)
                {
                    continue;
                }

                if (node is { Kind: FileKind.Regular, Data: { } d })
                {
                    if (!owners.TryGetValue(d, out var set))
                    {
                        owners[d] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(p.Purl);
                }
            }
        }

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
                owners.TryGetValue(data, out var o) || ownersByPath.TryGetValue(path, out o) ? [.. o] : []));
        }

        return result;
    }
}
