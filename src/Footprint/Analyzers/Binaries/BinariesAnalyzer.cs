using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;
using Footprint.Walk;

namespace Footprint.Analyzers.Binaries;

/// <summary>
/// Software no package manager installed, recognised from the ELF files themselves (<see cref="ElfSummary"/>):
/// BusyBox from its version banner and the links that name its applets, Go programs from their build info (the
/// main module and every dependency), and Buildroot from the toolchain marker GCC writes into <c>.comment</c>.
/// Asks for <see cref="ContentNeed.Inspect"/> only for files that can be programs or libraries: an execute bit,
/// a <c>.so</c> name (Debian installs libraries 0644) or a <c>.ko</c> kernel module.
/// </summary>
public sealed class BinariesAnalyzer : IAnalyzer, IProducer<BinaryInventories>
{
    /// <summary>Smallest possible ELF file: a 32-bit header.</summary>
    private const int MinElfBytes = 52;

    private readonly Dictionary<FileData, BusyBoxFind> _busybox = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _busyboxLinkCandidates = [];
    private readonly List<(string Path, int Layer, string Machine, GoBuildInfo Info)> _go = [];
    private readonly SortedDictionary<string, SortedSet<string>> _buildroot = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _buildrootLayer = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];
    private readonly Dictionary<FileData, List<string>> _hardLinks = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<FileData> _scanned = new(ReferenceEqualityComparer.Instance);

    public string Id => "binaries";

    public int Version => 1;

    public BinaryInventories Produce(AnalysisContext context)
    {
        var (binaries, goModules) = Result(context.View);
        return new BinaryInventories(binaries, goModules);
    }

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == FileKind.Regular && node.SizeBytes >= MinElfBytes && MayBeElf(path, node.Mode) ? ContentNeed.Inspect : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind == FileKind.Symlink)
        {
            // Applet links point at the binary by a name with "busybox" in it (/bin/ls -> /bin/busybox, ls -> busybox);
            // only those are kept, so a host with many symlinks costs nothing here.
            if (node.LinkTarget is { } target && target[(target.LastIndexOf('/') + 1)..].Contains("busybox", StringComparison.Ordinal))
            {
                _busyboxLinkCandidates.Add(path);
            }

            return;
        }

        if (Required(path, node) == ContentNeed.None || node.Data is not { } data || data.GetElf() is not { } elf)
        {
            return;
        }

        if (elf.Damage is { } damage)
        {
            _unknowns.Add(new PackageUnknown("/" + path, 0, "ELF file damaged: " + damage));
        }
        else if (elf.Error is { } error && !elf.Partial)
        {
            _unknowns.Add(new PackageUnknown("/" + path, 0, "ELF file not fully readable: " + error));
        }

        if (data.LinkCount > 1)
        {
            // Hard-linked applets may come before the path that names the binary (bin/[ before bin/busybox).
            (_hardLinks.TryGetValue(data, out var names) ? names : _hardLinks[data] = []).Add(path);
        }

        var name = path[(path.LastIndexOf('/') + 1)..];
        if ((elf.BusyBoxVersion ?? ScanOnDisk(data, name.Contains("busybox", StringComparison.Ordinal))) is { } version)
        {
            if (!_busybox.TryGetValue(data, out var find))
            {
                _busybox[data] = find = new BusyBoxFind(version, elf.Machine, data);
            }

            find.Paths.Add(path);
        }

        if (elf.Go is { } go)
        {
            _go.Add((path, data.LayerIndex, elf.Machine, go));
        }

        foreach (var comment in elf.Comments)
        {
            if (BuildrootVersion(comment) is { } buildroot)
            {
                if (!_buildroot.TryGetValue(buildroot, out var files))
                {
                    _buildroot[buildroot] = files = new SortedSet<string>(StringComparer.Ordinal);
                    _buildrootLayer[buildroot] = data.LayerIndex;
                }

                files.Add("/" + path);
            }
        }
    }

    /// <summary>BusyBox and Buildroot (ecosystem "binary") and Go modules ("go-module"), after the walk.</summary>
    public (PackageInventory Binaries, PackageInventory GoModules) Result(IFileSystemView view)
    {
        foreach (var link in _busyboxLinkCandidates)
        {
            FsNode? target;
            string resolved;
            try
            {
                target = view.Resolve(link, followFinal: true, out resolved);
            }
            catch (SymlinkLoopException)
            {
                continue;
            }

            if (target?.Data is not { } data)
            {
                continue;
            }

            if (!_busybox.TryGetValue(data, out var find) && data.GetElf() is { } elf && ScanOnDisk(data, true) is { } version)
            {
                // A binary on disk whose name does not say busybox, found through its applet links.
                _busybox[data] = find = new BusyBoxFind(version, elf.Machine, data);
                find.Paths.Add(resolved);
            }

            find?.SymlinkApplets.Add(link);
        }

        foreach (var (data, find) in _busybox)
        {
            if (_hardLinks.TryGetValue(data, out var names))
            {
                find.Paths.AddRange(names.Where(n => !find.Paths.Contains(n)));
            }
        }

        var binaries = new List<Package>();
        binaries.AddRange(_busybox.Values.Select(BinaryPackages.BusyBox));
        binaries.AddRange(_buildroot.Select(b => BinaryPackages.Buildroot(b.Key, b.Value, _buildrootLayer[b.Key])));
        var go = _go.SelectMany(g => BinaryPackages.GoModules(g.Path, g.Layer, g.Machine, g.Info)).ToList();
        return (
            new PackageInventory("binary", binaries, _unknowns, binaries.Select(p => p.Evidence.Path).Distinct().Order(StringComparer.Ordinal).ToList()),
            new PackageInventory("go-module", go, [], go.Select(p => p.Evidence.Path).Distinct().Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>
    /// Files on disk are summarised from their tables only (<see cref="ElfReader.Read(Microsoft.Win32.SafeHandles.SafeFileHandle, long)"/>),
    /// without the whole-file banner scan a layer stream gets for free; the scan runs here, once per inode, for the
    /// files that look like BusyBox: named *busybox*, or the target of an applet link.
    /// </summary>
    private string? ScanOnDisk(FileData data, bool looksLikeBusyBox)
    {
        if (!looksLikeBusyBox || data.Content is not DiskContent disk || !_scanned.Add(data))
        {
            return null;
        }

        try
        {
            using var stream = disk.Open();
            return ElfReader.FindBusyBoxVersion(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"GCC: (Buildroot 2018.08) 7.3.0" -> "2018.08"; "GCC: (Buildroot 2023.02.1-dirty) 12.3.0" -> "2023.02.1-dirty".</summary>
    internal static string? BuildrootVersion(string comment)
    {
        const string Marker = "(Buildroot ";
        var i = comment.IndexOf(Marker, StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }

        var start = i + Marker.Length;
        var end = comment.IndexOfAny([')', ' '], start);
        return end > start ? comment[start..end] : null;
    }

    private static bool MayBeElf(string path, int mode)
    {
        if ((mode & 0b001_001_001) != 0)
        {
            return true;
        }

        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        return name.EndsWith(".ko", StringComparison.Ordinal) || name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }
}
