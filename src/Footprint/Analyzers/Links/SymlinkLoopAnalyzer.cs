using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Links;

/// <summary>
/// Follows every symlink of the squashed view inside the image root and records the ones that never
/// end (a loop, or more hops than the kernel allows): a hostile or broken image must not hang a
/// later analyzer that resolves paths, and a person should know. The walk only collects the symlinks; they are
/// resolved after it, against the finished view.
/// </summary>
public sealed class SymlinkLoopAnalyzer : IAnalyzer, IProducer<CheckResult>
{
    private readonly List<(string Path, string? Target)> _links = [];

    public string Id => "symlink-loops";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind != Formats.FileKind.Symlink)
        {
            return;
        }

        _links.Add((path, node.LinkTarget));
    }

    public CheckResult Produce(AnalysisContext context)
    {
        var found = 0;
        foreach (var (path, target) in _links)
        {
            try
            {
                context.View.Resolve(path, followFinal: true, out _);
            }
            catch (SymlinkLoopException)
            {
                found++;
                context.Warn(new FsWarning("symlink-loop", $"symlink '/{path}' -> '{target}' never resolves (loop or more than {LayeredFileSystem.MaxSymlinkHops} links)",
                    context.Source.Location, "/" + path, null));
            }
        }

        return new CheckResult(found);
    }
}
