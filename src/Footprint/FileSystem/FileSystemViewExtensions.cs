namespace Footprint.FileSystem;

/// <summary>Lookups that treat a symlink loop as "not there" (the loop itself is reported once, by SymlinkLoopAnalyzer).</summary>
public static class FileSystemViewExtensions
{
    /// <summary><see cref="IFileSystemView.Resolve"/>, with null (and the path as given) for a symlink loop.</summary>
    public static FsNode? TryResolve(this IFileSystemView view, string path, bool followFinal, out string resolvedPath)
    {
        try
        {
            return view.Resolve(path, followFinal, out resolvedPath);
        }
        catch (SymlinkLoopException)
        {
            resolvedPath = path;
            return null;
        }
    }
}
