using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Tcz;

/// <summary>
/// Tiny Core Linux (and its piCore / dCore cousins): the base system plus every extension recorded in
/// usr/local/tce.installed/. tce-load creates one file per loaded extension there, named after the
/// extension without ".tcz" ("squashfs-tools"), empty or holding the extension's startup script. The
/// marker carries no version: the version, license, file list and dependencies come from the extension's
/// sidecar files in the tce directory (NAME.tcz.info "Field: value" lines, NAME.tcz.list one absolute path per
/// line, NAME.tcz.dep one "OTHER.tcz" per line), which the repository publishes next to every .tcz and tce-load
/// keeps in tce/optional/ (facts from the Tiny Core book "Into the Core", ch. 9-10, and tce-load in tinycorelinux/Core-scripts).
/// </summary>
/// <remarks>
/// Purls: the purl spec has no type for Tiny Core extensions, so we write the spec's catch-all
/// pkg:generic/tinycore/NAME@VERSION (the namespace says which repository the name belongs to; no arch
/// qualifier because neither tce.installed nor .tcz.info records one). The base system is the package
/// "tinycore" with the version of usr/share/doc/tc/release.txt ("11.0"), or os-release VERSION_ID when a
/// release lacks that file (12.0 does).
/// </remarks>
public sealed class TczDatabaseAnalyzer : IPackageDatabaseAnalyzer
{
    /// <summary>Where tce-load leaves one marker file per installed extension.</summary>
    public const string InstalledDirectory = "usr/local/tce.installed";

    /// <summary>The base system's release (one line, "11.0").</summary>
    public const string ReleasePath = "usr/share/doc/tc/release.txt";

    private const string OsReleasePath = "etc/os-release";

    /// <summary>tce directories: etc/sysconfig/tcedir is the boot-time link to the tce dir; /tmp/tce is the default without persistence.</summary>
    public static readonly IReadOnlyList<string> OptionalDirectories = ["etc/sysconfig/tcedir/optional", "tmp/tce/optional", InstalledDirectory];

    private static readonly string[] SidecarSuffixes = [".tcz.info", ".tcz.list", ".tcz.dep"];

    private readonly List<(string Name, string Path, int Layer)> _installed = [];
    private readonly Dictionary<string, string> _sidecars = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];
    private (string Text, int Layer)? _release;
    private (string Text, int Layer)? _osRelease;

    public string Id => "tcz-db";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && (path is ReleasePath or OsReleasePath || SidecarKey(path) is not null) ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind != Formats.FileKind.Regular)
        {
            return;
        }

        if (SidecarKey(path) is { } key)
        {
            // The first copy in path order wins: etc/sysconfig/tcedir before tmp/tce before usr/local.
            if (!_sidecars.ContainsKey(key) && DatabaseText.Read(path, content, _unknowns) is { } text)
            {
                _sidecars[key] = text;
            }

            return;
        }

        if (ImagePath.IsIn(path, [InstalledDirectory]))
        {
            _installed.Add((ImagePath.FileName(path), "/" + path, node.LayerIndex));
        }
        else if (path == ReleasePath && DatabaseText.Read(path, content, _unknowns) is { } release)
        {
            _release = (release, node.LayerIndex);
        }
        else if (path == OsReleasePath && DatabaseText.Read(path, content, []) is { } osRelease)
        {
            _osRelease = (osRelease, node.LayerIndex);
        }
    }

    /// <remarks>The databases are the files that evidence a package (release.txt and each marker), so the report counts one package per marker.</remarks>
    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        var packages = new List<Package>();
        var databases = new List<string>();
        if (Base(unknowns) is { } core)
        {
            packages.Add(core);
            databases.Add(core.Evidence.Path);
        }

        foreach (var (name, path, layer) in _installed.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var info = _sidecars.TryGetValue(name + ".tcz.info", out var i) ? ParseInfo(i) : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var version = info.GetValueOrDefault("Version") ?? string.Empty;
            var files = _sidecars.TryGetValue(name + ".tcz.list", out var list) ? ControlStanzas.ListFile(list) : [];
            var depends = _sidecars.TryGetValue(name + ".tcz.dep", out var dep)
                ? DatabaseText.Lines(dep).Select(l => l.Text.Trim()).Where(l => l.Length > 0).ToList()
                : [];
            packages.Add(new Package("tcz", name, version, null, null, info.GetValueOrDefault("Copying-policy"), null, depends, files,
                PackageUrl.Build("generic", "tinycore", name, version), new PackageEvidence(path, 0, layer)));
            databases.Add(path);
        }

        return new PackageInventory("tcz", packages, unknowns, databases);
    }

    /// <summary>The base system, when release.txt or an os-release with ID=tinycore says this is Tiny Core.</summary>
    private Package? Base(List<PackageUnknown> unknowns)
    {
        if (_release is { } release)
        {
            var (line, version) = DatabaseText.Lines(release.Text).Select(l => (l.Number, Text: l.Text.Trim())).FirstOrDefault(l => l.Text.Length > 0);
            if (!string.IsNullOrEmpty(version))
            {
                return Core(version, "/" + ReleasePath, line, release.Layer);
            }

            unknowns.Add(new PackageUnknown("/" + ReleasePath, 1, "empty release file"));
        }

        if (_osRelease is { } os)
        {
            // os-release(5): KEY=value lines, values optionally quoted; the first assignment of a key is kept here.
            var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
            foreach (var (number, line) in DatabaseText.Lines(os.Text))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    fields.TryAdd(line[..eq].Trim(), (line[(eq + 1)..].Trim().Trim('"', '\''), number));
                }
            }

            if (fields.GetValueOrDefault("ID").Value == "tinycore" && fields.TryGetValue("VERSION_ID", out var versionId) && versionId.Value.Length > 0)
            {
                return Core(versionId.Value, "/" + OsReleasePath, versionId.Line, os.Layer);
            }
        }

        return null;

        static Package Core(string version, string path, int line, int layer)
            => new("tcz", "tinycore", version, null, null, null, null, [], [], PackageUrl.Build("generic", "tinycore", "tinycore", version), new PackageEvidence(path, line, layer));
    }

    /// <summary>"Field:  value" lines of a .tcz.info (first occurrence kept; lines without a colon are continuation prose).</summary>
    private static Dictionary<string, string> ParseInfo(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, line) in DatabaseText.Lines(text))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                continue;
            }

            fields.TryAdd(line[..colon], line[(colon + 1)..].Trim());
        }

        return fields;
    }

    /// <summary>"NAME.tcz.info" (or .list, .dep) for a sidecar directly inside a tce optional directory or tce.installed.</summary>
    private static string? SidecarKey(string path)
    {
        if (!ImagePath.IsIn(path, OptionalDirectories))
        {
            return null;
        }

        var name = ImagePath.FileName(path);
        return SidecarSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal) && name.Length > s.Length) ? name : null;
    }
}
