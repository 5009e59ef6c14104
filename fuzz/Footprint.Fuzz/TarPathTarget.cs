using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Tar;

namespace Footprint.Fuzz;

/// <summary>
/// Tar path handling: every entry of a tar stream goes through <see cref="TarArchiveReader"/> into a layer's
/// <see cref="FileTree"/> (normalisation, path limits, implicit directories, whiteouts, hard links), two layers are
/// stacked in a <see cref="LayeredFileSystem"/> (whiteouts, opaque directories, merge), and every path of the result
/// is walked and resolved through its symlinks. Checks what must hold whatever the input: a kept path is normalised,
/// within the limits, and found again at that path.
/// </summary>
internal static class TarPathTarget
{
    internal static void Fuzz(byte[] input)
    {
        var warnings = new List<FsWarning>();
        var fs = new LayeredFileSystem();

        // The same bytes as two layers: the second one's whiteouts and opaque markers then act on the first.
        for (var layer = 0; layer < 2; layer++)
        {
            var tree = new FileTree(layer, "fuzz", interpretWhiteouts: true, warnings, fs.FindSquashed);
            using (var reader = new TarArchiveReader(new MemoryStream(input, writable: false), "fuzz"))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    Check(entry, tree.Add(entry));
                }
            }

            fs.Apply(tree);
        }

        fs.Complete();
        foreach (var (path, node) in LayeredFileSystem.Enumerate(fs.Squashed))
        {
            if (ImagePath.Normalize(path) != path || ImagePath.ExceedsLimits(path) is not null)
            {
                throw new InvalidOperationException($"walked path '{ImagePath.Abbreviate(path)}' is not normalised or over the limits");
            }

            if (fs.FindSquashed(path) != node)
            {
                throw new InvalidOperationException($"'{ImagePath.Abbreviate(path)}' is not found at its own path");
            }

            _ = fs.Resolve(path, followFinal: true);
        }
    }

    private static void Check(FileEntry entry, FsNode? node)
    {
        if (node is null || ImagePath.Normalize(entry.Name) is not { } path)
        {
            return;
        }

        if (ImagePath.ExceedsLimits(path) is not null)
        {
            throw new InvalidOperationException($"'{ImagePath.Abbreviate(entry.Name)}' is over the path limits but was kept");
        }

        if (path.Length > 0 && node.Name != ImagePath.FileName(path))
        {
            throw new InvalidOperationException($"'{ImagePath.Abbreviate(entry.Name)}' made a node named '{ImagePath.Abbreviate(node.Name)}'");
        }
    }
}
