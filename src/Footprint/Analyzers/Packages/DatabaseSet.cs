using Footprint.FileSystem;

namespace Footprint.Analyzers.Packages;

/// <summary>Database files an analyzer has been shown, kept as text until its Result is asked for.</summary>
internal sealed class DatabaseSet
{
    public List<(string Path, int Layer, string Text)> Files { get; } = [];

    public List<PackageUnknown> Unknowns { get; } = [];

    public void Add(string path, FsNode node, IFileContent? content)
    {
        if (DatabaseText.Read(path, content, Unknowns) is { } text)
        {
            Files.Add((path, node.LayerIndex, text));
        }
    }

    /// <summary>Keeps the first package per key and records later ones as unknowns ("duplicate record").</summary>
    public static List<Package> Deduplicate(IEnumerable<Package> packages, Func<Package, string> key, List<PackageUnknown> unknowns)
    {
        var seen = new Dictionary<string, Package>(StringComparer.Ordinal);
        var kept = new List<Package>();
        foreach (var p in packages)
        {
            if (seen.TryGetValue(key(p), out var first))
            {
                unknowns.Add(new PackageUnknown(p.Evidence.Path, p.Evidence.Line, $"duplicate record for {key(p)} (first at {first.Evidence.Path}:{first.Evidence.Line}; first kept)"));
                continue;
            }

            seen[key(p)] = p;
            kept.Add(p);
        }

        return kept;
    }
}
