using Footprint.FileSystem;

namespace Footprint.Analyzers.Packages;

/// <summary>The layer that introduced a package and the later layers that changed its version.</summary>
public sealed record LayerAttribution(int Introduced, IReadOnlyList<int> Changed)
{
    /// <summary>
    /// Reads the ecosystem's database copies layer by layer: a package is introduced where its name first appears and
    /// changed where its version differs from the copy before. Null when the view is not a stack of several layers.
    /// A copy larger than the capture limit (rpm databases can be) is skipped, and the packages it would have
    /// attributed have none.
    /// </summary>
    public static IReadOnlyDictionary<string, LayerAttribution>? Of(IFileSystemView view, ILayerAttributed ecosystem)
    {
        if (view is not LayeredFileSystem { Layers.Count: > 1 } fs)
        {
            return null;
        }

        var state = new Dictionary<string, (string Version, int Introduced, List<int> Changed)>(StringComparer.Ordinal);
        foreach (var layer in fs.Layers)
        {
            foreach (var path in ecosystem.LayerDatabasePaths)
            {
                if (layer.Find(path)?.Data?.Content is not CapturedContent { IsComplete: true } content)
                {
                    continue;
                }

                // rpm installs several versions under one name (kernel, gpg-pubkey): a name's state is all its versions.
                var versions = ecosystem.InstalledIn("/" + path, layer.LayerIndex, content)
                    .GroupBy(p => p.Name, StringComparer.Ordinal)
                    .Select(g => (Name: g.Key, Version: string.Join(' ', g.Select(p => p.Version).Order(StringComparer.Ordinal))));
                foreach (var (name, version) in versions)
                {
                    if (!state.TryGetValue(name, out var known))
                    {
                        state[name] = (version, layer.LayerIndex, []);
                    }
                    else if (known.Version != version)
                    {
                        known.Changed.Add(layer.LayerIndex);
                        state[name] = (version, known.Introduced, known.Changed);
                    }
                }
            }
        }

        return state.ToDictionary(kv => kv.Key, kv => new LayerAttribution(kv.Value.Introduced, kv.Value.Changed), StringComparer.Ordinal);
    }

    /// <summary>A database copy as text (the text databases are UTF-8).</summary>
    public static string Text(CapturedContent content) => System.Text.Encoding.UTF8.GetString(content.Bytes.Span);
}
