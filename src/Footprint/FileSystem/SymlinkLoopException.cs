namespace Footprint.FileSystem;

/// <summary>A path whose symlinks never end (a loop, or more than the kernel would follow).</summary>
public sealed class SymlinkLoopException(string path, int hops)
    : IOException($"symlink loop: resolving '/{path}' needed more than {hops} symlinks")
{
    public string PathInImage { get; } = path;
}
