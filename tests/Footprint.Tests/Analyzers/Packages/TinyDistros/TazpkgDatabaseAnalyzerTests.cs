using Footprint.Analyzers.Packages.Tazpkg;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>SliTaz receipts, parsed as text, against what bash itself sees when it sources them (as tazpkg does).</summary>
public sealed class TazpkgDatabaseAnalyzerTests
{
    private const string Db = "var/lib/tazpkg/installed";

    /// <summary>Sources each receipt in a subshell (the fixture is ours, so running it is safe here) and prints what tazpkg would read.</summary>
    private const string SourceReceipts =
        "set +eu; for d in " + Db + "/*/; do ( . \"$d/receipt\" 2>/dev/null; [ -n \"$PACKAGE\" ] && [ -n \"$VERSION\" ] && printf '%s\\t%s%s\\t%s\\t%s\\t%s\\n' \"$PACKAGE\" \"$VERSION\" \"$EXTRAVERSION\" \"$LICENSE\" \"$(echo $DEPENDS)\" \"$UNPACKED_SIZE\" ); done; true";

    [Fact]
    public void Should_read_what_bash_reads_when_it_sources_each_receipt()
    {
        var result = PackageScan.Run(DistroFixture.Tarball("tazpkg"), new TazpkgDatabaseAnalyzer()).Result();
        var root = DistroFixture.Root("tazpkg");
        var expected = DistroFixture.ShellLines(root, SourceReceipts);
        Assert.Equal(expected.Count, result.Packages.Count);
        foreach (var line in expected)
        {
            var f = line.Split('\t');
            var p = result.Packages.Single(p => p.Name == f[0]);
            Assert.Equal(f[1], p.Version);
            Assert.Equal(f[2], p.License ?? string.Empty);
            Assert.Equal(f[3], string.Join(' ', p.Depends));
            Assert.Equal(f[4].Length == 0 ? null : DistroFixture.Iec(f[4]), p.InstalledSizeBytes);
            var list = System.IO.Path.Combine(root, Db, p.Name, "files.list");
            Assert.Equal(File.Exists(list) ? DistroFixture.ShellLines(root, $"sed 's|^/||' '{list}'") : [], p.Files);
            Assert.Equal($"pkg:generic/slitaz/{p.Name}@{p.Version}", p.Purl);
            Assert.Equal($"/{Db}/{p.Name}/receipt", p.Evidence.Path);
        }

        // The receipt cut inside SHORT_DESC keeps what came before the cut (as bash does) and is reported;
        // the one cut inside PACKAGE is no package.
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/truncated/receipt" && u.Line == 3);
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/cut-early/receipt" && u.Line == 1);
        Assert.Equal(2, result.Unknowns.Count(u => u.Reason.Contains("quote", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_never_take_assignments_from_functions_or_expand_anything()
    {
        using var tree = PackageScan.Tree(($"{Db}/x/receipt",
            "PACKAGE=x\nVERSION='1.0 $(rm -rf /)'\n\ncompile_rules() {\n\tVERSION=\"2.0\"\n\tif true; then { LICENSE=bad; }; fi\n}\nLICENSE=\"MIT\" # trailing comment\nDEPENDS=\"a \\\"b\\\"\"\nfunction post_install {\n  DEPENDS=zzz\n}\n"));
        var p = PackageScan.Run(tree.Path, new TazpkgDatabaseAnalyzer()).Result().Packages.Single();
        Assert.Equal(("x", "1.0 $(rm -rf /)", "MIT"), (p.Name, p.Version, p.License));
        Assert.Equal(["a", "\"b\""], p.Depends);
    }

    [Fact]
    public void Should_skip_a_function_whose_brace_opens_on_the_next_line()
    {
        using var tree = PackageScan.Tree(($"{Db}/x/receipt",
            "PACKAGE=\"x\"\nVERSION=\"1\"\n\ngenpkg_rules()\n{\n\tLICENSE=\"inside\"\n\tWEB_SITE=\"x\"\n}\n\nnot_a_function()\nLICENSE=\"GPL2\"\n"));
        var p = PackageScan.Run(tree.Path, new TazpkgDatabaseAnalyzer()).Result().Packages.Single();
        Assert.Equal("GPL2", p.License);
    }

    [Theory]
    [InlineData("var/lib/tazpkg/installed/x/receipt", 1)]
    [InlineData("var/lib/tazpkg/installed/receipt", 0)]
    [InlineData("var/lib/tazpkg/installed/x/y/receipt", 0)]
    [InlineData("var/lib/tazpkg/installed/x/receipt.orig", 0)]
    [InlineData("var/cache/tazpkg/installed/x/receipt", 0)]
    public void Should_select_receipts_one_directory_below_installed(string path, int expected)
    {
        using var tree = PackageScan.Tree((path, "PACKAGE=\"x\"\nVERSION=\"1\"\n"));
        Assert.Equal(expected, PackageScan.Run(tree.Path, new TazpkgDatabaseAnalyzer()).Result().Packages.Count);
    }

    [Fact]
    public void Should_report_a_files_list_without_receipt_and_a_receipt_naming_another_package()
    {
        using var tree = PackageScan.Tree(($"{Db}/a/files.list", "/bin/a\n"), ($"{Db}/b/receipt", "PACKAGE=\"c\"\nVERSION=\"1\"\n"));
        var result = PackageScan.Run(tree.Path, new TazpkgDatabaseAnalyzer()).Result();
        Assert.Equal(["c"], result.Packages.Select(p => p.Name));
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/a/files.list");
        Assert.Contains(result.Unknowns, u => u.Path == $"/{Db}/b/receipt" && u.Line == 1);
    }
}
