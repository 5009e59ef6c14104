using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Opkg;

/// <summary>
/// OpenWrt, Yocto and other opkg systems: the status database (deb-control stanzas, like dpkg's, but
/// Installed-Size in bytes) with file lists from info/NAME.list. OpenWrt's status keeps only
/// Package, Version, Depends, Status, Architecture and Installed-Time; the rest of a package's control
/// fields (License, Source, Installed-Size) are in info/NAME.control and fill the gaps here.
/// </summary>
/// <remarks>
/// Purls: the purl spec has no opkg type. We write pkg:opkg/openwrt/NAME@VERSION?arch=ARCH, the form
/// syft and the OpenWrt SBOM tooling use, so that CVE matchers keyed on it agree; "openwrt" is the
/// namespace even for Yocto systems because nothing in the database names the distribution.
/// </remarks>
public sealed class OpkgDatabaseAnalyzer : IAnalyzer, IProducer<PackageInventory>, ILayerAttributed
{
    /// <summary>OpenWrt keeps opkg's state in usr/lib/opkg; opkg's own default (and Yocto's) is var/lib/opkg.</summary>
    public static readonly IReadOnlyList<string> StatusPaths = ["usr/lib/opkg/status", "var/lib/opkg/status"];

    private readonly DatabaseSet _status = new();
    private readonly Dictionary<string, string> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _controls = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];

    public string Id => "opkg-db";

    public int Version => 1;

    public PackageInventory Produce(AnalysisContext context) => Result() with { Layers = LayerAttribution.Of(context.View, this) };

    public IReadOnlyList<string> LayerDatabasePaths => StatusPaths;

    public IEnumerable<(string Name, string Version)> InstalledIn(string display, int layer, CapturedContent content)
        => InstalledVersions(display, LayerAttribution.Text(content));

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && Classify(path).Role != FileRole.None ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        var (role, key) = node.Kind == Formats.FileKind.Regular ? Classify(path) : (FileRole.None, string.Empty);
        switch (role)
        {
            case FileRole.Status:
                _status.Add(path, node, content);
                break;
            case FileRole.List when DatabaseText.Read(path, content, _unknowns) is { } list:
                _lists[key] = list;
                break;
            case FileRole.Control when DatabaseText.Read(path, content, _unknowns) is { } control:
                _controls[key] = control;
                break;
            default:
                break;
        }
    }

    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        unknowns.AddRange(_status.Unknowns);
        var packages = new List<Package>();
        foreach (var (path, layer, text) in _status.Files)
        {
            var display = "/" + path;
            var infoDirectory = path[..(path.LastIndexOf('/') + 1)] + "info/";
            foreach (var stanza in ControlStanzas.Parse(display, text, unknowns))
            {
                if (stanza["Status"] is not { } status || ControlStanzas.CurrentState(status) is not { } state)
                {
                    unknowns.Add(new PackageUnknown(display, stanza.Line, stanza["Status"] is null ? "record without Status" : $"unreadable Status '{stanza["Status"]}'"));
                    continue;
                }

                if (!ControlStanzas.IsInstalledState(state))
                {
                    continue;
                }

                var name = stanza["Package"];
                if (string.IsNullOrEmpty(name))
                {
                    unknowns.Add(new PackageUnknown(display, stanza.Line, "installed record without Package"));
                    continue;
                }

                var control = _controls.TryGetValue(infoDirectory + name, out var c) ? ControlStanzas.Parse(infoDirectory + name + ".control", c, []).FirstOrDefault() : null;
                string? Field(string f) => stanza[f] ?? control?[f];
                var version = Field("Version");
                if (string.IsNullOrEmpty(version))
                {
                    unknowns.Add(new PackageUnknown(display, stanza.Line, $"installed record '{name}' without Version"));
                    continue;
                }

                var arch = Field("Architecture");
                var files = _lists.TryGetValue(infoDirectory + name, out var list) ? ControlStanzas.ListFile(list) : [];
                packages.Add(new Package("opkg", name, version, arch, Field("Source"), Field("License"),
                    ControlStanzas.ParseSize(Field("Installed-Size"), 1), ControlStanzas.SplitDepends(Field("Pre-Depends"), Field("Depends")), files,
                    PackageUrl.Build("opkg", "openwrt", name, version, [new("arch", arch)]), new PackageEvidence(display, stanza.Line, layer),
                    Provides: ControlStanzas.SplitDepends(Field("Provides"))));
            }
        }

        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("opkg", packages, unknowns, _status.Files.Select(f => "/" + f.Path).ToList());
    }

    /// <summary>Name and version of each installed record of a status file (layer attribution reads every layer's copy with this).</summary>
    public static IEnumerable<(string Name, string Version)> InstalledVersions(string display, string text)
    {
        foreach (var stanza in ControlStanzas.Parse(display, text, []))
        {
            if (stanza["Status"] is { } status && ControlStanzas.CurrentState(status) is { } state && ControlStanzas.IsInstalledState(state)
                && stanza["Package"] is { Length: > 0 } name && stanza["Version"] is { Length: > 0 } version)
            {
                yield return (name, version);
            }
        }
    }

    /// <summary>The info directory beside each status file (usr/lib/opkg/info/), made once: Classify runs for every file of the walk.</summary>
    private static readonly string[] InfoDirectories = StatusPaths.Select(s => s[..^"status".Length] + "info/").ToArray();

    /// <summary>The file's role and, for info files, "DIR/info/NAME" (the key a status path finds it by).</summary>
    private static (FileRole Role, string Key) Classify(string path)
    {
        for (var i = 0; i < StatusPaths.Count; i++)
        {
            if (path == StatusPaths[i])
            {
                return (FileRole.Status, string.Empty);
            }

            var info = InfoDirectories[i];
            if (path.StartsWith(info, StringComparison.Ordinal) && path.IndexOf('/', info.Length) < 0)
            {
                if (path.EndsWith(".list", StringComparison.Ordinal) && path.Length > info.Length + ".list".Length)
                {
                    return (FileRole.List, path[..^".list".Length]);
                }

                if (path.EndsWith(".control", StringComparison.Ordinal) && path.Length > info.Length + ".control".Length)
                {
                    return (FileRole.Control, path[..^".control".Length]);
                }
            }
        }

        return (FileRole.None, string.Empty);
    }

    private enum FileRole
    {
        None,
        Status,
        List,
        Control,
    }
}
