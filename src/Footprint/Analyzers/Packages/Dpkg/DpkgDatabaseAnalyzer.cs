using Footprint.Analyzers.Identity;
using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Dpkg;

/// <summary>
/// Debian and derivatives: var/lib/dpkg/status with file lists from var/lib/dpkg/info/NAME[:ARCH].list,
/// and distroless images' var/lib/dpkg/status.d/NAME stanzas with file lists from status.d/NAME.md5sums.
/// </summary>
public sealed class DpkgDatabaseAnalyzer : IAnalyzer, IProducer<PackageInventory>, ILayerAttributed
{
    public const string StatusPath = "var/lib/dpkg/status";
    public const string StatusDirectory = "var/lib/dpkg/status.d/";
    public const string InfoDirectory = "var/lib/dpkg/info/";
    public const string DocDirectory = "usr/share/doc/";

    /// <summary>Companion files dpkg-deb writes beside a control file: not stanzas themselves.</summary>
    private static readonly string[] ControlMemberSuffixes = [".md5sums", ".preinst", ".postinst", ".prerm", ".postrm", ".list", ".conffiles", ".triggers", ".shlibs", ".symbols", ".templates", ".config"];

    private readonly DatabaseSet _status = new();
    private readonly DatabaseSet _statusD = new();
    private readonly Dictionary<string, string> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _md5sums = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];

    /// <summary>
    /// Licenses from usr/share/doc/NAME/copyright by the path the walk read it at, found again by the path a package's
    /// doc path resolves to (a doc directory may be a symlink to another package's). A directory on disk makes a new
    /// node at each lookup after the walk, so there the path is what identifies the file; a layered view gives the
    /// walked node back, whose path is the same.
    /// </summary>
    private readonly Dictionary<string, IReadOnlyList<string>> _copyrights = new(StringComparer.Ordinal);

    /// <summary>The same licenses by the file's data: a copyright path hard-linked to another name (one data, both views).</summary>
    private readonly Dictionary<FileData, IReadOnlyList<string>> _copyrightData = new(ReferenceEqualityComparer.Instance);

    public string Id => "dpkg-db";

    public int Version => 1;

    public IReadOnlyList<string> LayerDatabasePaths => [StatusPath];

    public IEnumerable<(string Name, string Version)> InstalledIn(string display, int layer, CapturedContent content)
        => ParseDpkgStatus.Parse(display, layer, LayerAttribution.Text(content), statusRequired: true).Packages.Select(p => (p.Name, p.Version));

    public IReadOnlyList<Type> Consumes => [typeof(OsIdentity)];

    /// <summary>Derivatives (ubuntu...) name their own package URL namespace; the release scopes it (distro=debian-12).</summary>
    public PackageInventory Produce(AnalysisContext context)
    {
        var os = context.Get<OsIdentity>()?.Os;
        return Result(os?.Id is { Length: > 0 } id && id != "debian" ? id : "debian",
            os is { Id.Length: > 0, VersionId.Length: > 0 } ? $"{os.Id}-{os.VersionId}" : null, context.View) with
            {
                Layers = LayerAttribution.Of(context.View, this),
            };
    }

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && Classify(path) != FileRole.None ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        switch (node.Kind == Formats.FileKind.Regular ? Classify(path) : FileRole.None)
        {
            case FileRole.Status:
                _status.Add(path, node, content);
                break;
            case FileRole.StatusD:
                _statusD.Add(path, node, content);
                break;
            case FileRole.List:
                if (DatabaseText.Read(path, content, _unknowns) is { } list)
                {
                    _lists[path[InfoDirectory.Length..^".list".Length]] = list;
                }

                break;
            case FileRole.Md5sums:
                if (DatabaseText.Read(path, content, _unknowns) is { } sums)
                {
                    _md5sums[path[StatusDirectory.Length..^".md5sums".Length]] = sums;
                }

                break;
            case FileRole.Copyright:
                if (node.Data is { } data && DatabaseText.ReadBytes(path, content, _unknowns) is { } copyright)
                {
                    var licenses = DebianCopyright.Licenses(copyright.Span);
                    _copyrights[path] = licenses;
                    _copyrightData[data] = licenses;
                }

                break;
            default:
                break;
        }
    }

    /// <param name="purlNamespace">The distribution for purls ("debian", "ubuntu"); os-release ID when known.</param>
    /// <param name="distro">The purl's distro qualifier, os-release ID-VERSION_ID ("debian-12"); none when unknown.</param>
    /// <param name="view">The walked view, to find each package's copyright file through symlinked doc directories
    /// (Debian links usr/share/doc/libgcc-s1 to gcc-12-base); without it packages get no license.</param>
    public PackageInventory Result(string purlNamespace = "debian", string? distro = null, IFileSystemView? view = null)
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        unknowns.AddRange(_status.Unknowns);
        unknowns.AddRange(_statusD.Unknowns);
        var packages = new List<Package>();
        foreach (var (path, layer, text) in _status.Files)
        {
            var (found, bad) = ParseDpkgStatus.Parse("/" + path, layer, text, statusRequired: true, purlNamespace, distro);
            unknowns.AddRange(bad);
            packages.AddRange(found.Select(p => p with { Files = ListedFiles(p) }));
        }

        foreach (var (path, layer, text) in _statusD.Files)
        {
            var (found, bad) = ParseDpkgStatus.Parse("/" + path, layer, text, statusRequired: false, purlNamespace, distro);
            unknowns.AddRange(bad);
            if (found.Count == 0 && bad.Count == 0)
            {
                unknowns.Add(new PackageUnknown("/" + path, 0, "no package record in status.d file"));
            }

            var fileName = path[StatusDirectory.Length..];
            packages.AddRange(found.Select(p => p with { Files = Md5sumFiles(fileName, p) }));
        }

        if (view is not null && _copyrights.Count > 0)
        {
            packages = packages.Select(p => License(view, p.Name) is { } license ? p with { License = license } : p).ToList();
        }

        // dpkg keys packages by name and architecture (Multi-Arch: same allows libc6:amd64 and libc6:i386).
        packages = DatabaseSet.Deduplicate(packages, p => p.Architecture is { Length: > 0 } a ? $"{p.Name}:{a}" : p.Name, unknowns);
        var databases = _status.Files.Concat(_statusD.Files).Select(f => "/" + f.Path).ToList();
        return new PackageInventory("deb", packages, unknowns, databases);
    }

    /// <summary>The package's declared licenses joined with " AND " (each covers some of its files), or null.</summary>
    private string? License(IFileSystemView view, string name)
    {
        var node = view.TryResolve(DocDirectory + name + "/copyright", followFinal: true, out var resolved);
        return node?.Data is { } data && (_copyrights.TryGetValue(resolved, out var names) || _copyrightData.TryGetValue(data, out names)) && names.Count > 0
            ? string.Join(" AND ", names)
            : null;
    }

    private IReadOnlyList<string> ListedFiles(Package p)
        => (p.Architecture is { } a && _lists.TryGetValue($"{p.Name}:{a}", out var text)) || _lists.TryGetValue(p.Name, out text)
            ? ControlStanzas.ListFile(text)
            : [];

    /// <summary>md5sums lines are "HEX  relative/path" (dpkg-deb --ctrl-tarfile's md5sums member).</summary>
    private IReadOnlyList<string> Md5sumFiles(string fileName, Package p)
    {
        if (!_md5sums.TryGetValue(fileName, out var text) && !_md5sums.TryGetValue(p.Name, out text))
        {
            return [];
        }

        var files = new List<string>();
        foreach (var (_, line) in DatabaseText.Lines(text))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && FileSystem.ImagePath.Normalize(line[(space + 1)..].TrimStart()) is { Length: > 0 } path)
            {
                files.Add(path);
            }
        }

        return files;
    }

    private static FileRole Classify(string path)
    {
        if (path == StatusPath)
        {
            return FileRole.Status;
        }

        if (path.StartsWith(DocDirectory, StringComparison.Ordinal) && path.EndsWith("/copyright", StringComparison.Ordinal)
            && path.IndexOf('/', DocDirectory.Length) == path.Length - "/copyright".Length && path.Length > DocDirectory.Length + "/copyright".Length)
        {
            return FileRole.Copyright;
        }

        if (path.StartsWith(InfoDirectory, StringComparison.Ordinal) && path.EndsWith(".list", StringComparison.Ordinal)
            && path.IndexOf('/', InfoDirectory.Length) < 0 && path.Length > InfoDirectory.Length + ".list".Length)
        {
            return FileRole.List;
        }

        if (path.StartsWith(StatusDirectory, StringComparison.Ordinal) && path.Length > StatusDirectory.Length && path.IndexOf('/', StatusDirectory.Length) < 0)
        {
            if (path.EndsWith(".md5sums", StringComparison.Ordinal))
            {
                return FileRole.Md5sums;
            }

            return ControlMemberSuffixes.Any(s => path.EndsWith(s, StringComparison.Ordinal)) ? FileRole.None : FileRole.StatusD;
        }

        return FileRole.None;
    }

    private enum FileRole
    {
        None,
        Status,
        StatusD,
        List,
        Md5sums,
        Copyright,
    }
}
