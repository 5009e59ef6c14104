using Footprint.Analyzers;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Measures.Inventory;
using Footprint.Walk;

namespace Footprint.Measures.Breakdown;

/// <summary>
/// The installed bytes by directory and by package (<see cref="BreakdownReport"/>). The walk adds up each directory's
/// own entries exactly as installed-footprint does (hard links once, at the first name in path order; the same disk
/// model), so the root's figures are installed.apparentBytes and installed.onDiskBytes; owned bytes come from the
/// inventory's claims (each file once, for the package that claimed it first), so the package shares add up to
/// inventory.ownedBytes. Memory is one entry per directory, never per file; the report lists at most
/// <see cref="MaxDirectories"/> directories and <see cref="MaxPackages"/> packages, the rest folded.
/// </summary>
public sealed class BreakdownMeasure : IAnalyzer, IProducer<BreakdownReport>
{
    /// <summary>About what a treemap can draw and a browser lay out without lag (docs/report-html.md).</summary>
    public const int MaxDirectories = 2000;

    public const int MaxPackages = 500;

    private readonly Dictionary<string, DirectoryTotals> _dirs = new(StringComparer.Ordinal) { [""] = new DirectoryTotals() };

    /// <summary>Directory of the first name of each file with several names: the one whose bytes count.</summary>
    private readonly Dictionary<FileData, string> _linked = new(ReferenceEqualityComparer.Instance);

    public string Id => "breakdown";

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(Ownership)];

    public bool IsWanted(AnalysisOptions options) => options.Breakdown;

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        var parent = Parent(path);
        var first = true;
        var totals = Totals(parent);
        if (node.Kind == FileKind.Regular)
        {
            first = node.Data is not { LinkCount: > 1 } data || _linked.TryAdd(data, parent);
            if (first)
            {
                totals.ApparentBytes += node.SizeBytes;
                totals.Files++;
            }
        }
        else if (node.Kind == FileKind.Directory)
        {
            Totals(path);
        }

        totals.OnDiskBytes += DiskUsageModel.NodeBytes(node, countData: first);
    }

    public BreakdownReport? Produce(AnalysisContext context)
    {
        // The root directory itself is not visited by the walk (as in installed-footprint).
        _dirs[""].OnDiskBytes += DiskUsageModel.DirectoryBytes(context.View.Root);
        var ownership = context.Get<Ownership>();
        var packages = ownership?.Report.Packages ?? [];
        var shares = new (long Bytes, long Files)[packages.Count];
        foreach (var (data, path, owner) in ownership?.Claimed?.Claims ?? [])
        {
            if (owner >= 0 && owner < shares.Length)
            {
                shares[owner] = (shares[owner].Bytes + data.SizeBytes, shares[owner].Files + 1);
            }

            var dir = _linked.TryGetValue(data, out var counted) ? counted : Parent(path.TrimStart('/'));
            if (_dirs.TryGetValue(dir, out var totals))
            {
                totals.OwnedBytes += data.SizeBytes;
            }
        }

        RollUp();
        var ranked = packages.Select((p, i) => new PackageShare(p.Purl, p.Name, p.Version, p.Ecosystem, shares[i].Bytes, shares[i].Files))
            .Where(s => s.Bytes > 0).OrderByDescending(s => s.Bytes).ThenBy(s => s.Purl, StringComparer.Ordinal).ToList();
        var root = _dirs[""];
        var minBytes = Math.Max(1, root.ApparentBytes / MaxDirectories);
        return new BreakdownReport
        {
            MaxDirectories = MaxDirectories,
            MinDirectoryBytes = minBytes,
            Directories = Listed(minBytes),
            Packages = ranked.Take(MaxPackages).ToList(),
            MaxPackages = MaxPackages,
            OtherPackages = Math.Max(0, ranked.Count - MaxPackages),
            OtherPackagesBytes = ranked.Skip(MaxPackages).Sum(s => s.Bytes),
            OwnedBytes = ownership?.Report.OwnedBytes ?? 0,
            UnownedBytes = ownership?.Report.UnownedBytes ?? root.ApparentBytes,
        };
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private DirectoryTotals Totals(string dir)
    {
        if (!_dirs.TryGetValue(dir, out var totals))
        {
            _dirs[dir] = totals = new DirectoryTotals();
        }

        return totals;
    }

    /// <summary>Adds every directory's figures into its parent's, deepest first, and records the children.</summary>
    private void RollUp()
    {
        // Owned bytes never exceed the bytes counted in the same directory (a hard link claimed by a name the walk did not count first).
        foreach (var totals in _dirs.Values)
        {
            totals.OwnedBytes = Math.Min(totals.OwnedBytes, totals.ApparentBytes);
        }

        foreach (var dir in _dirs.Keys.Where(k => k.Length > 0).OrderByDescending(k => k.Count(c => c == '/')).ToList())
        {
            var totals = _dirs[dir];
            var parent = Totals(Parent(dir));
            parent.ApparentBytes += totals.ApparentBytes;
            parent.OnDiskBytes += totals.OnDiskBytes;
            parent.Files += totals.Files;
            parent.OwnedBytes += totals.OwnedBytes;
            (parent.Children ??= []).Add(dir);
        }
    }

    /// <summary>The largest directories first: a listed directory's children of at least <paramref name="minBytes"/> are listed, until the cap.</summary>
    private List<DirectoryShare> Listed(long minBytes)
    {
        var listed = new List<string> { "" };
        var open = new PriorityQueue<string, (long, string)>(Comparer<(long Bytes, string Path)>.Create(
            (a, b) => a.Bytes != b.Bytes ? b.Bytes.CompareTo(a.Bytes) : string.CompareOrdinal(a.Path, b.Path)));
        open.Enqueue("", (_dirs[""].ApparentBytes, ""));
        while (open.TryDequeue(out var dir, out _) && listed.Count < MaxDirectories)
        {
            var children = (_dirs[dir].Children ?? []).Where(c => _dirs[c].ApparentBytes >= minBytes)
                .OrderByDescending(c => _dirs[c].ApparentBytes).ThenBy(c => c, StringComparer.Ordinal);
            foreach (var child in children.Take(MaxDirectories - listed.Count))
            {
                listed.Add(child);
                open.Enqueue(child, (_dirs[child].ApparentBytes, child));
            }
        }

        var set = listed.ToHashSet(StringComparer.Ordinal);
        return listed.Order(StringComparer.Ordinal).Select(dir =>
        {
            var t = _dirs[dir];
            var shown = (t.Children ?? []).Where(set.Contains).Select(c => _dirs[c]).ToList();
            var unlisted = t.ApparentBytes - shown.Sum(c => c.ApparentBytes);
            var unlistedOwned = t.OwnedBytes - shown.Sum(c => c.OwnedBytes);
            return new DirectoryShare
            {
                Path = "/" + dir,
                ApparentBytes = t.ApparentBytes,
                OnDiskBytes = t.OnDiskBytes,
                Files = t.Files,
                OwnedBytes = t.OwnedBytes,
                UnownedBytes = t.ApparentBytes - t.OwnedBytes,
                UnlistedBytes = unlisted,
                UnlistedOwnedBytes = unlistedOwned,
                UnlistedUnownedBytes = unlisted - unlistedOwned,
            };
        }).ToList();
    }
}
