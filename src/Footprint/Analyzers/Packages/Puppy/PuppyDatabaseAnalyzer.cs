using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Puppy;

/// <summary>
/// Puppy Linux (Woof-built, woof-CE) installed-package lists: var/packages/*-installed-packages
/// (woof-installed-packages for the builtin set, user-installed-packages for the Puppy Package Manager's
/// installs, devx-only-installed-packages for the devx SFS...), or root/.packages/ in Puppy 5 to 8.
/// One package per line in the "Puppy package database format" of Woof (bkhome.org woof/pkg-db-format.htm):
/// pkgname|nameonly|version|pkgrelease|category|size|path|fullfilename|dependencies|description|compileddistro|compiledrelease|repo|
/// with size like "999K" and dependencies "+a,+b". The files a package installed are listed, one absolute path a line,
/// in PKGNAME.files beside the list.
/// </summary>
/// <remarks>
/// A line with fewer than <see cref="MinFields"/> fields (pkgname to description) is recorded as an unknown.
/// Purls: the purl spec has no Puppy type, so pkg:generic/puppy/NAMEONLY@VERSION; the package may come from
/// any distro's repository (field 11), which the purl cannot say without guessing a type.
/// </remarks>
public sealed class PuppyDatabaseAnalyzer : IPackageDatabaseAnalyzer
{
    /// <summary>pkgname through description: the fields every Woof database line carries.</summary>
    public const int MinFields = 10;

    /// <summary>woof-CE's PKGS_DIR first; Puppy 5-8 kept the same files in /root/.packages.</summary>
    public static readonly IReadOnlyList<string> DatabaseDirectories = ["var/packages", "root/.packages"];

    private const string ListSuffix = "-installed-packages";
    private const string FilesSuffix = ".files";

    private readonly DatabaseSet _lists = new();
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly List<PackageUnknown> _unknowns = [];

    public string Id => "puppy-db";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && Classify(path) != Role.None ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        switch (node.Kind == Formats.FileKind.Regular ? Classify(path) : Role.None)
        {
            case Role.List:
                _lists.Add(path, node, content);
                break;
            case Role.Files when DatabaseText.Read(path, content, _unknowns) is { } text:
                _files[path[..^FilesSuffix.Length]] = text;
                break;
            default:
                break;
        }
    }

    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        unknowns.AddRange(_lists.Unknowns);
        var packages = new List<Package>();
        foreach (var (path, layer, text) in _lists.Files)
        {
            var display = "/" + path;
            var directory = ImagePath.Parent(path);
            foreach (var (number, line) in DatabaseText.Lines(text))
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var f = line.Split('|');
                if (f.Length < MinFields)
                {
                    unknowns.Add(new PackageUnknown(display, number, $"{f.Length} '|'-separated fields, fewer than the {MinFields} of a Puppy database line"));
                    continue;
                }

                var name = f[1].Length > 0 ? f[1] : f[0];
                if (name.Length == 0)
                {
                    unknowns.Add(new PackageUnknown(display, number, "line without pkgname or nameonly"));
                    continue;
                }

                var version = f[2];
                var depends = f[8].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var files = f[0].Length > 0 && _files.TryGetValue(ImagePath.Combine(directory, f[0]), out var list) ? ControlStanzas.ListFile(list) : [];
                packages.Add(new Package("puppy", name, version, null, null, null, HumanSize.ParseBytes(f[5]), depends, files,
                    PackageUrl.Build("generic", "puppy", name, version), new PackageEvidence(display, number, layer)));
            }
        }

        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("puppy", packages, unknowns, _lists.Files.Select(f => "/" + f.Path).ToList());
    }

    private static Role Classify(string path)
    {
        if (!ImagePath.IsIn(path, DatabaseDirectories))
        {
            return Role.None;
        }

        var name = ImagePath.FileName(path);
        if (name.EndsWith(ListSuffix, StringComparison.Ordinal) && name.Length > ListSuffix.Length)
        {
            return Role.List;
        }

        return name.EndsWith(FilesSuffix, StringComparison.Ordinal) && name.Length > FilesSuffix.Length ? Role.Files : Role.None;
    }

    private enum Role
    {
        None,
        List,
        Files,
    }
}
