using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Reconciles package databases with the files really present: each package's declared files are
/// looked up in the squashed view (symlinked directories followed, as the package manager wrote them),
/// giving bytes measured from the files present against the size the database declares, the files
/// declared but missing, and an evidence grade. Bytes no package declares are "unowned", a line of
/// the installed footprint of their own. Runs after the walk, so the databases are complete.
/// </summary>
/// <remarks>
/// A file's bytes are owned once, so owned + unowned = installed always holds. Database packages claim first;
/// software found in the files themselves (BusyBox, Buildroot markers, a Go program's main module) then owns only
/// the files no database package owns: a Go binary installed by dpkg stays the dpkg package's bytes, a Go binary
/// copied in by hand is its main module's (rather than unowned, which would hide what the bytes are). A Go
/// module compiled into a binary owns nothing (<see cref="Analyzers.Binaries.BinaryPackages.GoModules"/> gives
/// dependencies no files). A BusyBox binary that a database package installed is that package: it becomes
/// evidence on it (<see cref="PackageReport.BinaryEvidence"/>), not a second package in the count.
/// </remarks>
public static class PackageOwnership
{
    /// <summary>
    /// Packages whose lookups are held at once: bounds the memory of the parallel lookups. What a batch holds lives
    /// through the collections made while it runs and is then garbage in an older generation: 16 rather than 64
    /// took 7-10 MB off a host measure's peak RSS at the same speed (bench/).
    /// </summary>
    private const int LookupBatchPackages = 16;

    /// <summary>Software found in files that is the binary it was found in, so a database package owning that binary is the same software.</summary>
    private static readonly HashSet<(string Ecosystem, string Name)> SameAsItsBinary = [("binary", "busybox")];

    /// <param name="view">The walked view.</param>
    /// <param name="inventories">The databases found (those with no database file are left out by the caller).</param>
    /// <param name="installedApparentBytes">installed.apparentBytes, of which the unowned bytes are the rest.</param>
    /// <param name="owners">When given (`sbom --files`), every declared regular file is recorded with the purl owning it,
    /// from this same resolution pass.</param>
    public static InventoryReport Compute(IFileSystemView view, IReadOnlyList<PackageInventory> inventories, long installedApparentBytes, FileOwners? owners = null)
        => Compute(view, inventories, installedApparentBytes, owners, new OwnedFiles());

    /// <summary>As the public overload, with the claims recorded in <paramref name="owned"/> (kept when made with keepClaims, for the breakdown).</summary>
    /// <param name="view">The walked view.</param>
    /// <param name="inventories">The databases found.</param>
    /// <param name="installedApparentBytes">installed.apparentBytes.</param>
    /// <param name="owners">As in the public overload.</param>
    /// <param name="owned">Receives every claim.</param>
    internal static InventoryReport Compute(IFileSystemView view, IReadOnlyList<PackageInventory> inventories, long installedApparentBytes, FileOwners? owners, OwnedFiles owned)
    {
        var packages = new List<PackageReport>();
        var binaryEvidence = new Dictionary<int, List<Evidence>>();
        // By reference: two inventories with equal contents (both empty, say) are still two databases.
        var dependencies = new Dictionary<PackageInventory, Dictionary<Package, PackageDependencies.Edges>>(ReferenceEqualityComparer.Instance);
        foreach (var inventory in inventories)
        {
            dependencies[inventory] = PackageDependencies.Resolve(inventory.Packages);
        }

        var kept = new HashSet<Package>(ReferenceEqualityComparer.Instance);

        // Database packages first: they keep every file they declare. Their declared paths (the host's dpkg lists:
        // 140k paths, a statx each on disk) are looked up in parallel, a batch of packages at a time; what the
        // lookups found is then claimed in package order, exactly as one lookup after another would.
        foreach (var batch in Ordered(inventories).Where(x => x.Package.FoundBy is null).Chunk(LookupBatchPackages))
        {
            var found = new (FsNode? Node, string Path)[batch.Length][];
            Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => found[i] = LookUp(view, batch[i].Package));
            for (var i = 0; i < batch.Length; i++)
            {
                var (inventory, p) = batch[i];
                var resolution = Resolve(found[i], p, owners);
                foreach (var (data, path) in resolution.Files)
                {
                    owned.Claim(data, path, packages.Count);
                }

                packages.Add(Build(p, resolution, resolution.Bytes, dependencies[inventory][p], inventory.Layers));
                kept.Add(p);
            }
        }

        var databaseOwned = packages.Count;
        foreach (var (inventory, p) in Ordered(inventories).Where(x => x.Package.FoundBy is not null))
        {
            var resolution = Resolve(LookUp(view, p), p, owners: null);
            if (SameAsItsBinary.Contains((p.Ecosystem, p.Name))
                && view.TryResolve(p.Evidence.Path.TrimStart('/'), followFinal: false, out var binaryPath) is { Kind: FileKind.Regular, Data: { } binary }
                && owned.OwnerOf(binary, binaryPath) is var owner && owner >= 0 && owner < databaseOwned)
            {
                if (!binaryEvidence.TryGetValue(owner, out var list))
                {
                    binaryEvidence[owner] = list = [];
                }

                list.Add(new Evidence(p.Evidence.Path, p.Evidence.Layer, $"{p.Name} {p.Version} found in {p.Evidence.Path} ({p.FoundBy})"));
                continue;
            }

            // Its measured bytes are its files no database package owns (two finds may share one, e.g. Buildroot's
            // marker in /bin/busybox); the owned total still counts each file once.
            long mine = 0;
            foreach (var (data, path) in resolution.Files)
            {
                if (owned.OwnerOf(data, path) is var o && o >= 0 && o < databaseOwned)
                {
                    continue;
                }

                mine += data.SizeBytes;
                owned.Claim(data, path, packages.Count);
                owners?.Add(data, path, p.Purl);
            }

            packages.Add(Build(p, resolution, mine, dependencies[inventory][p], inventory.Layers));
            kept.Add(p);
        }

        foreach (var (index, list) in binaryEvidence)
        {
            packages[index] = packages[index] with { BinaryEvidence = list };
        }

        return new InventoryReport
        {
            // A file a find was merged into a database package from is no longer a "database" of its own.
            Databases = inventories.SelectMany(i => i.Databases.Select(db => new PackageDatabaseReport(i.Ecosystem, db, i.Packages.Count(p => p.Evidence.Path == db && kept.Contains(p)))))
                .Where(d => d.Packages > 0 || !IsFoundInFiles(d.Ecosystem)).ToList(),
            Packages = packages,
            Unknowns = inventories.SelectMany(i => i.Unknowns).Select(u => new UnknownReport(u.Path, u.Line, u.Reason)).ToList(),
            OwnedBytes = owned.Bytes,
            UnownedBytes = Math.Max(0, installedApparentBytes - owned.Bytes),
        };
    }

    private static bool IsFoundInFiles(string ecosystem) => ecosystem is "binary" or "go-module";

    private static IEnumerable<(PackageInventory Inventory, Package Package)> Ordered(IReadOnlyList<PackageInventory> inventories)
        => inventories.SelectMany(i => i.Packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal).Select(p => (i, p)));

    /// <summary>The package's declared paths looked up once: how many are present or missing, and its regular files (each once).</summary>
    private sealed record Resolution(int Present, int Missing, List<(FileData Data, string Path)> Files, long Bytes);

    /// <summary>Every declared path of the package, looked up (thread-safe: views only read, DiskView locks what it caches).</summary>
    private static (FsNode? Node, string Path)[] LookUp(IFileSystemView view, Package p)
    {
        var found = new (FsNode?, string)[p.Files.Count];
        for (var i = 0; i < found.Length; i++)
        {
            var node = view.TryResolve(p.Files[i].TrimStart('/'), followFinal: false, out var resolved);
            found[i] = (node, resolved);
        }

        return found;
    }

    private static Resolution Resolve((FsNode? Node, string Path)[] found, Package p, FileOwners? owners)
    {
        var present = 0;
        var missing = 0;
        var files = new List<(FileData, string)>();
        var mine = new OwnedFiles();
        foreach (var (node, resolved) in found)
        {
            if (node is null)
            {
                missing++;
                continue;
            }

            present++;
            if (node is { Kind: FileKind.Regular, Data: { } data })
            {
                owners?.Add(data, resolved, p.Purl);
                if (mine.Claim(data, resolved, 0))
                {
                    files.Add((data, resolved));
                }
            }
        }

        return new Resolution(present, missing, files, mine.Bytes);
    }

    private static PackageReport Build(Package p, Resolution r, long measured, PackageDependencies.Edges edges,
        IReadOnlyDictionary<string, LayerAttribution>? layers)
        => new()
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
            MissingFiles = r.Missing,
            Grade = Grade(p, r.Present),
            IntroducedInLayer = layers?.GetValueOrDefault(p.Name)?.Introduced,
            ChangedInLayers = layers?.GetValueOrDefault(p.Name)?.Changed,
            FoundBy = p.FoundBy,
            DependsOn = edges.DependsOn.Select(d => d.Purl).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            UnresolvedDepends = edges.Unresolved,
            Evidence = new Evidence(p.Evidence.Path, p.Evidence.Layer, p.FoundBy ?? $"record at line {p.Evidence.Line}"),
        };

    /// <summary>database-and-files: the database lists files and some are present; database-only: it lists none, or none is present.</summary>
    private static string Grade(Package p, int present)
        => p.FoundBy is not null ? "files-only" : p.Files.Count > 0 && present > 0 ? "database-and-files" : "database-only";
}
