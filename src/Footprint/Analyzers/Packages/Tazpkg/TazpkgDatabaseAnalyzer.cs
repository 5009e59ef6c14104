using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Tazpkg;

/// <summary>
/// SliTaz packages from tazpkg's installed database: one directory per package,
/// var/lib/tazpkg/installed/NAME/, holding the package's receipt (shell variables PACKAGE, VERSION,
/// EXTRAVERSION, CATEGORY, SHORT_DESC, MAINTAINER, LICENSE, WEB_SITE, DEPENDS="a b c", and in packed
/// receipts PACKED_SIZE / UNPACKED_SIZE such as "1.2M") and files.list (one absolute path per line).
/// Facts from the SliTaz handbook's "Receipt" page and tazpkg's install code (slitaz-tools/tazpkg).
/// The receipt is parsed as text by <see cref="ReceiptParser"/>, never executed.
/// </summary>
/// <remarks>
/// Purls: the purl spec has no SliTaz type, so pkg:generic/slitaz/NAME@VERSION (VERSION with EXTRAVERSION
/// appended, as tazpkg prints it: "linux-3.2.71" + "_slitaz"). No arch qualifier: receipts of installed
/// packages rarely say (HOST_ARCH lists the arches a receipt can build for, not the one installed).
/// </remarks>
public sealed class TazpkgDatabaseAnalyzer : IPackageDatabaseAnalyzer
{
    public const string InstalledDirectory = "var/lib/tazpkg/installed";

    private readonly Dictionary<string, (string Path, int Layer, string Text)> _receipts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lists = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];

    public string Id => "tazpkg-db";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && Classify(path).Role is not null ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind != Formats.FileKind.Regular || Classify(path) is not { Role: { } role } c)
        {
            return;
        }

        if (DatabaseText.Read(path, content, _unknowns) is not { } text)
        {
            return;
        }

        if (role == "receipt")
        {
            _receipts[c.Directory] = ("/" + path, node.LayerIndex, text);
        }
        else
        {
            _lists[c.Directory] = text;
        }
    }

    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        var packages = new List<Package>();
        foreach (var (directory, (path, layer, text)) in _receipts.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var v = ReceiptParser.Parse(path, text, unknowns);
            string? Get(string name) => v.TryGetValue(name, out var x) && x.Value.Length > 0 ? x.Value : null;
            var name = Get("PACKAGE");
            var version = Get("VERSION");
            if (name is null || version is null)
            {
                unknowns.Add(new PackageUnknown(path, 1, $"receipt without {(name is null ? "PACKAGE" : "VERSION")}"));
                continue;
            }

            if (name != directory)
            {
                unknowns.Add(new PackageUnknown(path, v["PACKAGE"].Line, $"PACKAGE '{name}' differs from its directory '{directory}' (PACKAGE kept)"));
            }

            version += Get("EXTRAVERSION") ?? string.Empty;
            var files = _lists.TryGetValue(directory, out var list) ? ControlStanzas.ListFile(list) : [];
            var depends = (Get("DEPENDS") ?? string.Empty).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var size = HumanSize.ParseBytes(Get("UNPACKED_SIZE"));
            packages.Add(new Package("tazpkg", name, version, null, null, Get("LICENSE"), size, depends, files,
                PackageUrl.Build("generic", "slitaz", name, version), new PackageEvidence(path, v["PACKAGE"].Line, layer)));
        }

        foreach (var orphan in _lists.Keys.Where(k => !_receipts.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            unknowns.Add(new PackageUnknown($"/{InstalledDirectory}/{orphan}/files.list", 0, "files.list without a receipt"));
        }

        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("tazpkg", packages, unknowns, _receipts.Values.Select(r => r.Path).ToList());
    }

    /// <summary>"receipt" or "files.list" for InstalledDirectory/NAME/FILE, with NAME.</summary>
    private static (string? Role, string Directory) Classify(string path)
    {
        if (!path.StartsWith(InstalledDirectory + "/", StringComparison.Ordinal))
        {
            return (null, string.Empty);
        }

        var rest = path[(InstalledDirectory.Length + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || rest.IndexOf('/', slash + 1) >= 0)
        {
            return (null, string.Empty);
        }

        var file = rest[(slash + 1)..];
        return (file is "receipt" or "files.list" ? file : null, rest[..slash]);
    }
}
