using Footprint.Analyzers.Packages.Apk;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Analyzers.Packages.Opkg;
using Footprint.Analyzers.Packages.Rpm;
using Footprint.FileSystem;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Which layer brought each package and which layers changed it (syft#15, trivy#1198): every layer
/// that writes a package database carries a whole copy of it, so reading the copies in layer order
/// tells where each package first appears and where its version changes. The copies were captured
/// while the layers streamed past (the database analyzers declared those paths), so no blob is re-read.
/// apk, dpkg, opkg and rpm (all three rpm formats) are read this way; a copy larger than the capture
/// limit (rpm databases can be) is skipped, and the packages it would have attributed have none.
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

                // rpm installs several versions under one name (kernel, gpg-pubkey): a name's state is all its versions.
                var versions = Read(ecosystem, "/" + path, layer.LayerIndex, content)
                    .GroupBy(p => p.Name, StringComparer.Ordinal)
                    .Select(g => (Name: g.Key, Version: string.Join(' ', g.Select(p => p.Version).Order(StringComparer.Ordinal))));
                foreach (var (name, version) in versions)
                {
                    var key = (ecosystem, name);
                    if (!state.TryGetValue(key, out var known))
                    {
                        state[key] = (version, layer.LayerIndex, []);
                    }
                    else if (known.Version != version)
                    {
                        known.Changed.Add(layer.LayerIndex);
                        state[key] = (version, known.Introduced, known.Changed);
                    }
                }
            }
        }

        return state.ToDictionary(kv => kv.Key, kv => new Attribution(kv.Value.Introduced, kv.Value.Changed));
    }

    /// <summary>Name and version of every installed package of one layer's copy of a database; a copy that cannot be read lists none.</summary>
    private static IEnumerable<(string Name, string Version)> Read(string ecosystem, string display, int layer, CapturedContent content)
    {
        switch (ecosystem)
        {
            case "apk":
                return ParseApkInstalled.Parse(display, layer, Text(content), null).Packages.Select(p => (p.Name, p.Version));
            case "deb":
                return ParseDpkgStatus.Parse(display, layer, Text(content), statusRequired: true).Packages.Select(p => (p.Name, p.Version));
            case "opkg":
                return OpkgDatabaseAnalyzer.InstalledVersions(display, Text(content));
            default:
                try
                {
                    return RpmDatabase.Read(content.Bytes.Span, display).Headers
                        .Select(h => (h.Name, (h.Epoch is { } e ? $"{e}:" : string.Empty) + h.Version + "-" + h.Release + "." + h.Arch)).ToList();
                }
                catch (Formats.FootprintFormatException)
                {
                    return [];
                }
        }
    }

    private static string Text(CapturedContent content) => System.Text.Encoding.UTF8.GetString(content.Bytes.Span);

    private static readonly (string Ecosystem, string Path)[] Databases =
    [
        .. ApkDatabaseAnalyzer.DatabasePaths.Select(p => ("apk", p)),
        ("deb", "var/lib/dpkg/status"),
        .. OpkgDatabaseAnalyzer.StatusPaths.Select(p => ("opkg", p)),
        .. RpmDatabaseAnalyzer.DatabasePaths.Order(StringComparer.Ordinal).Select(p => ("rpm", p)),
    ];
}
