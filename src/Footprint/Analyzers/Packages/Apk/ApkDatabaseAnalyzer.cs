using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Apk;

/// <summary>Alpine (and Wolfi, postmarketOS...) packages from apk-tools' installed database.</summary>
public sealed class ApkDatabaseAnalyzer : IAnalyzer
{
    /// <summary>The one path apk-tools keeps its installed database at (APK_DB_DIR "lib/apk/db" + "installed").</summary>
    public const string DatabasePath = "lib/apk/db/installed";

    private readonly DatabaseSet _databases = new();

    public string Id => "apk-db";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && path == DatabasePath ? ContentNeed.Whole : ContentNeed.None;

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
        foreach (var (path, layer, text) in _databases.Files)
        {
            var (found, bad) = ParseApkInstalled.Parse("/" + path, layer, text, distroVersionId);
            packages.AddRange(found);
            unknowns.AddRange(bad);
        }

        // apk keeps one installed package per name (database.c: apk_db_pkg_add replaces by name).
        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("apk", packages, unknowns, _databases.Files.Select(f => "/" + f.Path).ToList());
    }
}
