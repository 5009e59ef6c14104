using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Reports;

namespace Footprint.Measures;

/// <summary>
/// Reconciles package databases with the files really present: each package's declared files are
/// looked up in the squashed view (symlinked directories followed, as the package manager wrote them),
/// giving bytes measured from the files present against the size the database declares, the files
/// declared but missing, and an evidence grade. Bytes no package declares are "unowned", a line of
/// the installed footprint of their own. Runs after the walk, so the databases are complete.
/// </summary>
public static class PackageOwnership
{
    /// <param name="view">The walked view.</param>
    /// <param name="inventories">The databases found (those with no database file are left out by the caller).</param>
    /// <param name="installedApparentBytes">installed.apparentBytes, of which the unowned bytes are the rest.</param>
    /// <param name="owners">When given (`sbom --files`), every declared regular file is recorded with the purl owning it,
    /// from this same resolution pass.</param>
    public static InventoryReport Compute(IFileSystemView view, IReadOnlyList<PackageInventory> inventories, long installedApparentBytes, FileOwners? owners = null)
    {
        var owned = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        var layers = view is LayeredFileSystem fs && fs.Layers.Count > 1 ? PackageLayers.Attribute(fs) : null;
        var packages = new List<PackageReport>();
        foreach (var inventory in inventories)
        {
            var dependencies = PackageDependencies.Resolve(inventory.Packages);
            foreach (var p in inventory.Packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal))
            {
                long measured = 0;
                var present = 0;
                var missing = 0;
                var mine = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
                foreach (var file in p.Files)
                {
                    var node = view.TryResolve(file.TrimStart('/'), followFinal: false, out var resolved);
                    if (node is null)
                    {
                        missing++;
                        continue;
                    }

                    present++;
                    if (owners is not null && node is { Kind: FileKind.Regular, Data: { } owned1 })
                    {
                        owners.Add(owned1, resolved, p.Purl);
                    }

                    if (node.Kind == FileKind.Regular && node.Data is { } d && mine.Add(d))
                    {
                        measured += d.SizeBytes;
                        owned.Add(d);
                    }
                }

                packages.Add(new PackageReport
                {
                    Ecosystem = p.Ecosystem,
                    Name = p.Name,
                    Version = p.Version,
                    Architecture = p.Architecture,
                    Source = p.Source,
                    License = p.License,
                    Purl = p.Purl,
                    DeclaredBytes = p.InstalledSizeBytes,
                    MeasuredBytes = p.Files.Count == 0 ? null : measured,
                    DeclaredFiles = p.Files.Count,
                    MissingFiles = missing,
                    Grade = Grade(p, present),
                    IntroducedInLayer = layers?.GetValueOrDefault((p.Ecosystem, p.Name))?.Introduced,
                    ChangedInLayers = layers?.GetValueOrDefault((p.Ecosystem, p.Name))?.Changed,
                    FoundBy = p.FoundBy,
                    DependsOn = dependencies[p].DependsOn.Select(d => d.Purl).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    UnresolvedDepends = dependencies[p].Unresolved,
                    Evidence = new Evidence(p.Evidence.Path, p.Evidence.Layer, p.FoundBy ?? $"record at line {p.Evidence.Line}"),
                });
            }
        }

        var ownedBytes = owned.Sum(d => d.SizeBytes);
        return new InventoryReport
        {
            Databases = inventories.SelectMany(i => i.Databases.Select(db => new PackageDatabaseReport(i.Ecosystem, db, i.Packages.Count(p => p.Evidence.Path == db)))).ToList(),
            Packages = packages,
            Unknowns = inventories.SelectMany(i => i.Unknowns).Select(u => new UnknownReport(u.Path, u.Line, u.Reason)).ToList(),
            OwnedBytes = ownedBytes,
            UnownedBytes = Math.Max(0, installedApparentBytes - ownedBytes),
        };
    }

    /// <summary>database-and-files: the database lists files and some are present; database-only: it lists none, or none is present.</summary>
    private static string Grade(Package p, int present)
        => p.FoundBy is not null ? "files-only" : p.Files.Count > 0 && present > 0 ? "database-and-files" : "database-only";
}
