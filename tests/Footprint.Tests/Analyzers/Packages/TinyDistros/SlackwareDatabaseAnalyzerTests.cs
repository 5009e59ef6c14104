using Footprint.Analyzers.Packages.Slackware;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>Slackware pkgtools package files, against sed/awk readings of the same files.</summary>
public sealed class SlackwareDatabaseAnalyzerTests
{
    private const string Db = "var/lib/pkgtools/packages";

    [Fact]
    public void Should_split_names_from_the_right_and_read_sizes_and_file_lists()
    {
        var result = PackageScan.Run(DistroFixture.Tarball("slackware"), new SlackwareDatabaseAnalyzer()).Result();
        var root = DistroFixture.Root("slackware");

        // Ground truth: the files that start with the header, their names split by a greedy sed regex.
        var expected = DistroFixture.ShellLines(root, $"cd {Db} && for f in *; do head -n1 \"$f\" | grep -q '^PACKAGE NAME:' && echo \"$f\"; done | sed -E 's/^(.*)-([^-]+)-([^-]+)-([^-]+)$/\\1\\t\\2\\t\\3/'");
        Assert.Equal(new SortedSet<string>(expected, StringComparer.Ordinal), PackageScan.Triples(result.Packages));

        foreach (var p in result.Packages)
        {
            var file = DistroFixture.ShellLines(root, $"ls {Db} | grep -E '^{System.Text.RegularExpressions.Regex.Escape(p.Name)}-[^-]+-[^-]+-[^-]+$'").Single();
            var size = DistroFixture.ShellLines(root, $"sed -n 's/^UNCOMPRESSED PACKAGE SIZE: *//p' '{Db}/{file}'").Single();
            Assert.Equal(DistroFixture.Iec(size), p.InstalledSizeBytes);
            var files = DistroFixture.ShellLines(root, $"awk 'f && $0 != \"./\" && $0 !~ /^install\\// {{sub(/\\/$/, \"\"); print}} /^FILE LIST:$/ {{f=1}}' '{Db}/{file}'");
            Assert.Equal(files, p.Files);
            Assert.Equal($"pkg:slackware/{p.Name}@{p.Version}?arch={p.Architecture}&build={file[(file.LastIndexOf('-') + 1)..]}", p.Purl);
            Assert.Equal(new Footprint.Analyzers.Packages.PackageEvidence($"/{Db}/{file}", 1, 0), p.Evidence);
        }

        // The headerless file is the one unknown; var/log/packages is a symlink to the same directory, so no duplicates.
        var headless = DistroFixture.ShellLines(root, $"cd {Db} && for f in *; do head -n1 \"$f\" | grep -q '^PACKAGE NAME:' || echo \"$f\"; done");
        Assert.Equal(headless.Select(h => $"/{Db}/{h}"), result.Unknowns.Select(u => u.Path));
    }

    [Theory]
    [InlineData("var/lib/pkgtools/packages/bash-5.1.016-x86_64-1", "bash\t5.1.016\tx86_64")]
    [InlineData("var/log/packages/porteus-base-5.0-x86_64-1", "porteus-base\t5.0\tx86_64")]
    [InlineData("var/lib/pkgtools/removed_packages/bash-5.1.016-x86_64-1", "")]
    [InlineData("var/log/packages/sub/bash-5.1.016-x86_64-1", "")]
    [InlineData("var/log/packages.old/bash-5.1.016-x86_64-1", "")]
    [InlineData("var/lib/pkgtools/scripts/bash-5.1.016-x86_64-1", "")]
    public void Should_select_package_files_of_both_directories_only(string path, string expected)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        using var tree = PackageScan.Tree((path, $"PACKAGE NAME:     {name}\nUNCOMPRESSED PACKAGE SIZE:     340K\nPACKAGE DESCRIPTION:\nFILE LIST:\n./\nbin/\nbin/bash\n"));
        var result = PackageScan.Run(tree.Path, new SlackwareDatabaseAnalyzer()).Result();
        Assert.Equal(expected.Length == 0 ? [] : [expected], PackageScan.Triples(result.Packages));
    }

    [Fact]
    public void Should_record_bad_names_truncation_and_escaping_paths_as_unknowns()
    {
        using var tree = PackageScan.Tree(
            ($"{Db}/notaname", "PACKAGE NAME: notaname\nFILE LIST:\n"),
            ($"{Db}/cut-1.0-x86_64-1", "PACKAGE NAME: cut-1.0-x86_64-1\nUNCOMPRESSED PACKAGE SIZE: lots\n"),
            ($"{Db}/evil-1.0-x86_64-1", "PACKAGE NAME: evil-1.0-x86_64-1\nFILE LIST:\n./\n../../etc/passwd\nusr/bin/evil\n"));
        var result = PackageScan.Run(tree.Path, new SlackwareDatabaseAnalyzer()).Result();
        Assert.Equal(["cut 1.0  0", "evil 1.0  1"], result.Packages.Select(p => $"{p.Name} {p.Version} {p.InstalledSizeBytes} {p.Files.Count}"));
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/notaname");
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/cut-1.0-x86_64-1" && u.Reason.Contains("FILE LIST", StringComparison.Ordinal));
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/evil-1.0-x86_64-1" && u.Line == 4);
    }
}
