using Footprint.Analyzers.Identity;
using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Apk;

/// <summary>Alpine (and Wolfi, postmarketOS...) packages from apk-tools' installed database.</summary>
public sealed class ApkDatabaseAnalyzer : IAnalyzer, IProducer<PackageInventory>, ILayerAttributed
{
    /// <summary>Where apk-tools 2 keeps its installed database (APK_DB_DIR "lib/apk/db" + "installed").</summary>
    public const string DatabasePath = "lib/apk/db/installed";

    /// <summary>
    /// Where merged-/usr systems keep it: Wolfi since 2025 (lib -> usr/lib), and apk-tools 3's default, which still uses
    /// lib/apk/db when that exists. On a merged-/usr image the walk meets the file only here (lib is a symlink).
    /// </summary>
    public const string UsrDatabasePath = "usr/lib/apk/db/installed";

    public static readonly IReadOnlyList<string> DatabasePaths = [DatabasePath, UsrDatabasePath];

    private readonly DatabaseSet _databases = new();

    public string Id => "apk-db";

    public int Version => 1;

    public IReadOnlyList<string> LayerDatabasePaths => DatabasePaths;

    public IEnumerable<(string Name, string Version)> InstalledIn(string display, int layer, CapturedContent content)
        => ParseApkInstalled.Parse(display, layer, LayerAttribution.Text(content), null).Packages.Select(p => (p.Name, p.Version));

    public IReadOnlyList<Type> Consumes => [typeof(OsIdentity)];

    /// <summary>Alpine's release scopes the package URLs (distro=alpine-3.20).</summary>
    public PackageInventory Produce(AnalysisContext context)
        => Result(context.Get<OsIdentity>()?.Os is { Id: "alpine" } os ? os.VersionId : null) with { Layers = LayerAttribution.Of(context.View, this) };

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && (path == DatabasePath || path == UsrDatabasePath) ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (Required(path, node) != ContentNeed.None)
        {
            _databases.Add(path, node, content);
        }
    }

    /// <param name="distroVersionId">os-release VERSION_ID when known, for the purl's distro qualifier.</param>
    public PackageInventory Result(string? distroVersionId = null)
    {
        var unknowns = new List<PackageUnknown>(_databases.Unknowns);
        var packages = new List<Package>();
        // apk-tools 3 uses lib/apk/db when it exists and usr/lib/apk/db otherwise: with both present as real files, the
        // usr copy is stale and is not read (it is still listed among the databases, with 0 packages).
        var hasLib = _databases.Files.Any(f => f.Path == DatabasePath);
        foreach (var (path, layer, text) in _databases.Files)
        {
            if (hasLib && path == UsrDatabasePath)
            {
                continue;
            }

            var (found, bad) = ParseApkInstalled.Parse("/" + path, layer, text, distroVersionId);
            packages.AddRange(found);
            unknowns.AddRange(bad);
        }

        // apk keeps one installed package per name (database.c: apk_db_pkg_add replaces by name).
        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("apk", packages, unknowns, _databases.Files.Select(f => "/" + f.Path).ToList());
    }
}
