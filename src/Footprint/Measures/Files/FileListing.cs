using Footprint.FileSystem;
using Footprint.Measures.Inventory;

namespace Footprint.Measures.Files;

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
