using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Links;

/// <summary>
/// Follows every symlink of the squashed view inside the image root and records the ones that never
/// end (a loop, or more hops than the kernel allows): a hostile or broken image must not hang a
/// later analyzer that resolves paths, and a person should know.
/// </summary>
public sealed class SymlinkLoopAnalyzer(IFileSystemView view, string source) : IAnalyzer
{
    private readonly List<FsWarning> _warnings = [];

    public string Id => "symlink-loops";

    public int Version => 1;

    public IReadOnlyList<FsWarning> Warnings => _warnings;

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind != Formats.FileKind.Symlink)
        {
            return;
        }

        try
        {
            view.Resolve(path, followFinal: true, out _);
        }
        catch (SymlinkLoopException)
        {
            _warnings.Add(new FsWarning("symlink-loop", $"symlink '/{path}' -> '{node.LinkTarget}' never resolves (loop or more than {LayeredFileSystem.MaxSymlinkHops} links)", source, "/" + path, null));
        }
    }
}
