using Footprint.FileSystem;

namespace Footprint.Analyzers.Packages;

/// <summary>
/// An ecosystem whose database every layer that installs a package carries whole (apk, dpkg, opkg, rpm): it names
/// those database files and reads one layer's copy, so <see cref="LayerAttribution"/> can tell which layer brought
/// each package (syft#15, trivy#1198). The copies were captured while the layers streamed past, because the
/// ecosystem's analyzer declared those paths, so no blob is re-read.
/// </summary>
public interface ILayerAttributed
{
    /// <summary>The database files (relative paths, in the order they are read), each a whole copy of the database.</summary>
    IReadOnlyList<string> LayerDatabasePaths { get; }

    /// <summary>Name and version of every package installed in one layer's copy; a copy that cannot be read lists none.</summary>
    IEnumerable<(string Name, string Version)> InstalledIn(string display, int layer, CapturedContent content);
}
