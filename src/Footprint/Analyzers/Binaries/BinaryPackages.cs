using Footprint.Analyzers.Packages;
using Footprint.Formats.Elf;

namespace Footprint.Analyzers.Binaries;

/// <summary>Package identity (name, version, purl, evidence) for software found in binaries.</summary>
internal static class BinaryPackages
{
    /// <summary>
    /// BusyBox: purl pkg:generic/busybox@VERSION. The binary is the path named "busybox" when one is (else the first
    /// in path order); every other path of the inode and every symlink resolving to it is an applet, and all of them
    /// are the package's files.
    /// </summary>
    public static Package BusyBox(BusyBoxFind find)
    {
        var paths = find.Paths.Order(StringComparer.Ordinal).ToList();
        var binary = paths.FirstOrDefault(p => p.EndsWith("/busybox", StringComparison.Ordinal) || p == "busybox") ?? paths[0];
        var applets = paths.Where(p => p != binary).Concat(find.SymlinkApplets).Distinct().Order(StringComparer.Ordinal).ToList();
        var hard = paths.Count - 1;
        var foundBy = $"busybox version string in /{binary}; {applets.Count} applet links ({hard} hard links, {applets.Count - hard} symlinks)";
        return new Package(
            "binary", "busybox", find.Version, find.Machine, null, null, find.Data.SizeBytes, [],
            [.. new[] { binary }.Concat(applets).Select(p => "/" + p)],
            PackageUrl.Build("generic", null, "busybox", find.Version),
            new PackageEvidence("/" + binary, 0, find.Data.LayerIndex),
            foundBy);
    }

    public static Package Buildroot(string version, IReadOnlyCollection<string> files, int layer)
    {
        var first = files.First();
        var foundBy = $"GCC .comment marker \"Buildroot {version}\" in {files.Count} ELF files (first {first})";
        return new Package(
            "binary", "buildroot", version, null, null, null, null, [], [.. files],
            PackageUrl.Build("generic", null, "buildroot", version),
            new PackageEvidence(first, 0, layer),
            foundBy);
    }

    /// <summary>
    /// The main module and every dependency of one Go program; purl pkg:golang/MODULE-PATH@VERSION ("(devel)" has no version).
    /// Only the main module lists the binary as its file: a dependency compiled into it has no bytes of its own (crediting
    /// each module with the whole binary counted a 1.8 MB program once per module), and its evidence still names the binary.
    /// </summary>
    public static IEnumerable<Package> GoModules(string path, int layer, string machine, GoBuildInfo info)
    {
        var evidence = new PackageEvidence("/" + path, 0, layer);
        var arch = info.Settings.FirstOrDefault(s => s.Key == "GOARCH").Value ?? machine;
        if (info.Main is { } main)
        {
            yield return Module(main, $"Go build info in /{path} ({info.GoVersion}, main module)", info.Dependencies.Select(d => $"{d.Path}@{d.Version}").ToList(), ["/" + path]);
        }

        foreach (var dep in info.Dependencies)
        {
            var replaced = dep.Replacement is { } r ? $", replaced by {r.Path} {r.Version}" : string.Empty;
            yield return Module(dep, $"Go build info in /{path} ({info.GoVersion}, dependency{replaced})", [], []);
        }

        Package Module(GoModule m, string foundBy, IReadOnlyList<string> depends, IReadOnlyList<string> files)
        {
            var slash = m.Path.LastIndexOf('/');
            var ns = slash > 0 ? m.Path[..slash] : null;
            var name = slash > 0 ? m.Path[(slash + 1)..] : m.Path;
            var version = m.Version == "(devel)" ? null : m.Version;
            return new Package(
                "go-module", m.Path, m.Version, arch, null, null, null, depends, files,
                PackageUrl.Build("golang", ns, name, version), evidence, foundBy);
        }
    }
}
