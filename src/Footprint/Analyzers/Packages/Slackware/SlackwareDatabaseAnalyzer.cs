using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Slackware;

/// <summary>
/// Slackware pkgtools: one file per installed package, named NAME-VERSION-ARCH-BUILD, in
/// var/lib/pkgtools/packages (Slackware 15.0 and later; var/log/packages is then a symlink to it) or
/// var/log/packages (Slackware 14.2 and older, Porteus, Slax, Salix). installpkg writes each file as header lines
/// ("PACKAGE NAME:", "COMPRESSED PACKAGE SIZE:", "UNCOMPRESSED PACKAGE SIZE:", "PACKAGE LOCATION:",
/// "PACKAGE DESCRIPTION:"), the slack-desc lines ("name: text"), then "FILE LIST:" and the archive's member
/// paths relative to / ("./" first, directories with a trailing slash, install/ members included although
/// they are not kept on disk). Facts from pkgtools' installpkg script and the Slackware book, ch. 18.
/// </summary>
/// <remarks>
/// The file name is split from the right (VERSION, ARCH and BUILD never contain a dash; NAME may:
/// "xf86-video-vesa-2.5.0-x86_64-3"). Purls: the purl spec has no Slackware type and neither syft nor trivy
/// catalogs Slackware, so we write pkg:slackware/NAME@VERSION?arch=ARCH&amp;build=BUILD, the type named after the
/// distribution as the spec's deb/rpm/apk types are; BUILD (with any tag such as "_slack15.0") is kept
/// as a qualifier because the same VERSION is rebuilt for security fixes.
/// </remarks>
public sealed class SlackwareDatabaseAnalyzer : IPackageDatabaseAnalyzer
{
    /// <summary>Slackware 15.0+ first: when both exist the older one is a symlink or a stale copy.</summary>
    public static readonly IReadOnlyList<string> DatabaseDirectories = ["var/lib/pkgtools/packages", "var/log/packages"];

    private readonly DatabaseSet _files = new();

    public string Id => "slackware-db";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && ImagePath.IsIn(path, DatabaseDirectories) ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (Required(path, node) != ContentNeed.None)
        {
            _files.Add(path, node, content);
        }
    }

    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_files.Unknowns);
        var packages = new List<Package>();
        foreach (var (path, layer, text) in _files.Files)
        {
            if (Parse("/" + path, ImagePath.FileName(path), layer, text, unknowns) is { } package)
            {
                packages.Add(package);
            }
        }

        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        // Every package file is a database of one record (the report counts packages per database file).
        return new PackageInventory("slackware", packages, unknowns, _files.Files.Select(f => "/" + f.Path).ToList());
    }

    /// <summary>NAME, VERSION, ARCH, BUILD of a package file name, or null when it has fewer than four dash-separated parts.</summary>
    public static (string Name, string Version, string Arch, string Build)? SplitName(string fileName)
    {
        var build = fileName.LastIndexOf('-');
        var arch = build > 0 ? fileName.LastIndexOf('-', build - 1) : -1;
        var version = arch > 0 ? fileName.LastIndexOf('-', arch - 1) : -1;
        if (version <= 0 || build == fileName.Length - 1 || arch + 1 == build || version + 1 == arch)
        {
            return null;
        }

        return (fileName[..version], fileName[(version + 1)..arch], fileName[(arch + 1)..build], fileName[(build + 1)..]);
    }

    private static Package? Parse(string displayPath, string fileName, int layer, string text, List<PackageUnknown> unknowns)
    {
        if (SplitName(fileName) is not { } id)
        {
            unknowns.Add(new PackageUnknown(displayPath, 0, "file name is not NAME-VERSION-ARCH-BUILD"));
            return null;
        }

        var lines = DatabaseText.Lines(text).ToList();
        var header = lines.FirstOrDefault(l => l.Text.Length > 0);
        if (header.Text is null || !header.Text.StartsWith("PACKAGE NAME:", StringComparison.Ordinal))
        {
            unknowns.Add(new PackageUnknown(displayPath, header.Text is null ? 0 : header.Number, "no 'PACKAGE NAME:' header"));
            return null;
        }

        long? installed = null;
        var files = new List<string>();
        var inFiles = false;
        foreach (var (number, line) in lines)
        {
            if (inFiles)
            {
                // install/doinst.sh and install/slack-desc are listed but removed after installation.
                if (line.Length == 0 || line == "./" || line.StartsWith("install/", StringComparison.Ordinal))
                {
                    continue;
                }

                if (ImagePath.Normalize(line) is { Length: > 0 } file)
                {
                    files.Add(file);
                }
                else
                {
                    unknowns.Add(new PackageUnknown(displayPath, number, "file path escapes the root"));
                }

                continue;
            }

            if (line == "FILE LIST:")
            {
                inFiles = true;
            }
            else if (line.StartsWith("UNCOMPRESSED PACKAGE SIZE:", StringComparison.Ordinal))
            {
                installed = HumanSize.ParseBytes(line["UNCOMPRESSED PACKAGE SIZE:".Length..]);
            }
        }

        if (!inFiles)
        {
            unknowns.Add(new PackageUnknown(displayPath, header.Number, "no 'FILE LIST:' section (truncated record?)"));
        }

        var purl = PackageUrl.Build("slackware", null, id.Name, id.Version, [new("arch", id.Arch), new("build", id.Build)]);
        return new Package("slackware", id.Name, id.Version, id.Arch, null, null, installed, [], files, purl, new PackageEvidence(displayPath, header.Number, layer));
    }
}
