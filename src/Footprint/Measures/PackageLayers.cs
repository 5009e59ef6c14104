using Footprint.Analyzers.Packages.Apk;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.FileSystem;

namespace Footprint.Measures;

/// <summary>
/// Which layer brought each package and which layers changed it (syft#15, trivy#1198): every layer
/// that writes a package database carries a whole copy of it, so reading the copies in layer order
/// tells where each package first appears and where its version changes. The copies were captured
/// while the layers streamed past (the database analyzers declared those paths), so no blob is re-read.
/// </summary>
public static class PackageLayers
{
    /// <summary>The layer that introduced a package and the later layers that changed its version.</summary>
    public sealed record Attribution(int Introduced, IReadOnlyList<int> Changed);

    public static Dictionary<(string Ecosystem, string Name), Attribution> Attribute(LayeredFileSystem fs)
    {
        var state = new Dictionary<(string, string), (string Version, int Introduced, List<int> Changed)>();
        foreach (var layer in fs.Layers)
        {
            foreach (var (ecosystem, path) in Databases)
            {
                if (layer.Find(path)?.Data?.Content is not CapturedContent { IsComplete: true } content)
                {
                    continue;
                }

                var text = System.Text.Encoding.UTF8.GetString(content.Bytes.Span);
                var packages = ecosystem == "apk"
                    ? ParseApkInstalled.Parse("/" + path, layer.LayerIndex, text, null).Packages
                    : ParseDpkgStatus.Parse("/" + path, layer.LayerIndex, text, statusRequired: true).Packages;
                foreach (var p in packages)
                {
                    var key = (ecosystem, p.Name);
                    if (!state.TryGetValue(key, out var known))
                    {
                        state[key] = (p.Version, layer.LayerIndex, []);
                    }
                    else if (known.Version != p.Version)
                    {
                        known.Changed.Add(layer.LayerIndex);
                        state[key] = (p.Version, known.Introduced, known.Changed);
                    }
                }
            }
        }

        return state.ToDictionary(kv => kv.Key, kv => new Attribution(kv.Value.Introduced, kv.Value.Changed));
    }

    private static readonly (string Ecosystem, string Path)[] Databases =
    [
        ("apk", ApkDatabaseAnalyzer.DatabasePath),
        ("deb", "var/lib/dpkg/status"),
    ];
}
