using Footprint.FileSystem;

namespace Footprint.Walk;

/// <summary>The one walk: visits the squashed view once and offers every node to every analyzer.</summary>
public static class Walker
{
    public static void Run(IFileSystemView view, IReadOnlyList<IAnalyzer> analyzers, Action<long>? progress = null, CancellationToken cancel = default)
    {
        long count = 0;
        foreach (var (path, node) in view.Enumerate())
        {
            if ((++count & 0xFFF) == 0)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Invoke(count);
            }

            foreach (var analyzer in analyzers)
            {
                var need = analyzer.Required(path, node);
                analyzer.Observe(path, node, need == ContentNeed.None ? null : node.Data?.Content);
            }
        }
    }

    /// <summary>The strongest need any analyzer has for a node (what a layer pass must keep).</summary>
    public static ContentNeed Need(IReadOnlyList<IAnalyzer> analyzers, string path, FsNode node)
    {
        var need = ContentNeed.None;
        foreach (var a in analyzers)
        {
            var n = a.Required(path, node);
            if (n > need)
            {
                need = n;
            }
        }

        return need;
    }
}
