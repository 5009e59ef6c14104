using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Analyzers.KernelModules;

/// <summary>
/// Sizes each /lib/modules/VERSION (and /usr/lib/modules/VERSION, where merged /usr puts it) of the squashed view:
/// regular files and their apparent bytes, hard links once, and how many of them are modules. A root filesystem carries
/// one tree per kernel it can boot, and the tree is usually the largest part of a small system that is not userspace.
/// Absent when the view has no module tree.
/// </summary>
public sealed class KernelModulesAnalyzer : IAnalyzer, IProducer<KernelModulesReport>
{
    private static readonly string[] Roots = ["lib/modules/", "usr/lib/modules/"];

    private static readonly string[] ModuleSuffixes = [".ko", ".ko.gz", ".ko.xz", ".ko.zst"];

    private readonly Dictionary<string, Tally> _trees = new(StringComparer.Ordinal);
    private readonly HashSet<FileData> _seen = [];

    public string Id => "kernel-modules";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind != FileKind.Regular || Tree(path) is not { } tree)
        {
            return;
        }

        if (node.Data is { LinkCount: > 1 } data && !_seen.Add(data))
        {
            return;
        }

        if (!_trees.TryGetValue(tree, out var tally))
        {
            tally = new Tally();
            _trees[tree] = tally;
        }

        tally.Files++;
        tally.Bytes += node.SizeBytes;
        if (ModuleSuffixes.Any(s => path.EndsWith(s, StringComparison.Ordinal)))
        {
            tally.Modules++;
            tally.ModuleBytes += node.SizeBytes;
        }
    }

    public KernelModulesReport? Produce(AnalysisContext context)
        => _trees.Count == 0
            ? null
            : new KernelModulesReport(_trees.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => new KernelModuleTree("/" + t.Key, t.Key[(t.Key.LastIndexOf('/') + 1)..], t.Value.Files, t.Value.Bytes, t.Value.Modules, t.Value.ModuleBytes))
                .ToList());

    /// <summary>"lib/modules/VERSION" for a file below such a directory, else null.</summary>
    private static string? Tree(string path)
    {
        foreach (var root in Roots)
        {
            if (path.StartsWith(root, StringComparison.Ordinal))
            {
                int slash = path.IndexOf('/', root.Length);
                return slash > root.Length ? path[..slash] : null;
            }
        }

        return null;
    }

    private sealed class Tally
    {
        public long Files { get; set; }

        public long Bytes { get; set; }

        public long Modules { get; set; }

        public long ModuleBytes { get; set; }
    }
}
