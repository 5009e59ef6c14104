using Footprint.Analyzers.Packages.Puppy;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>Puppy *-installed-packages lines against awk -F'|' readings of the same lists.</summary>
public sealed class PuppyDatabaseAnalyzerTests
{
    [Fact]
    public void Should_read_every_line_with_the_woof_fields_and_report_the_shortLinesones()
    {
        var result = PackageScan.Run(DistroFixture.Tarball("puppy"), new PuppyDatabaseAnalyzer()).Result();
        var root = DistroFixture.Root("puppy");

        // Ground truth: awk splitting on '|' (a trailing '|' adds one empty field, in awk as in string.Split).
        var expected = DistroFixture.ShellLines(root, "cd var/packages && awk -F'|' 'NF >= 10 { print ($2 != \"\" ? $2 : $1) \"\\t\" $3 \"\\t\" $6 \"\\t\" $9 \"\\t\" $1 \"\\t\" FILENAME \"\\t\" FNR }' *-installed-packages");
        Assert.Equal(expected.Count, result.Packages.Count);
        foreach (var line in expected)
        {
            var f = line.Split('\t');
            var p = result.Packages.Single(p => p.Name == f[0]);
            Assert.Equal(f[1], p.Version);
            Assert.Equal(DistroFixture.Iec(f[2]), p.InstalledSizeBytes);
            Assert.Equal(f[3], string.Join(',', p.Depends));
            var list = System.IO.Path.Combine(root, "var/packages", f[4] + ".files");
            Assert.Equal(File.Exists(list) ? DistroFixture.ShellLines(root, $"sed 's|^/||' '{list}'") : [], p.Files);
            Assert.Equal(new Footprint.Analyzers.Packages.PackageEvidence("/var/packages/" + f[5], int.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture), 0), p.Evidence);
            Assert.Equal($"pkg:generic/puppy/{p.Name}@{p.Version}", p.Purl);
        }

        var shortLines = DistroFixture.ShellLines(root, "cd var/packages && awk -F'|' 'NF > 0 && NF < 10 { print \"/var/packages/\" FILENAME \"\\t\" FNR }' *-installed-packages");
        Assert.Equal(shortLines, result.Unknowns.Select(u => $"{u.Path}\t{u.Line}"));
    }

    [Theory]
    [InlineData("var/packages/woof-installed-packages", 1)]
    [InlineData("var/packages/devx-only-installed-packages", 1)]
    [InlineData("root/.packages/user-installed-packages", 1)]
    [InlineData("var/packages/Packages-puppy-noarch-official", 0)]
    [InlineData("var/packages/-installed-packages", 0)]
    [InlineData("var/packages/sub/user-installed-packages", 0)]
    [InlineData("var/lib/packages/user-installed-packages", 0)]
    public void Should_select_installed_package_lists_only(string path, int expected)
    {
        using var tree = PackageScan.Tree((path, "nano-7.2|nano|7.2||Document|900K|x|nano-7.2.pet||editor|debian|bookworm||\n"));
        Assert.Equal(expected, PackageScan.Run(tree.Path, new PuppyDatabaseAnalyzer()).Result().Packages.Count);
    }

    [Fact]
    public void Should_keep_the_first_of_two_records_for_one_name()
    {
        using var tree = PackageScan.Tree(
            ("var/packages/user-installed-packages", "nano-7.3|nano|7.3||Document|900K|x|nano-7.3.pet||editor|debian|bookworm||\n"),
            ("var/packages/woof-installed-packages", "\nnano-7.2|nano|7.2||Document|bogus|x|nano-7.2.pet||editor|debian|bookworm||\n"));
        var result = PackageScan.Run(tree.Path, new PuppyDatabaseAnalyzer()).Result();
        Assert.Equal(["nano 7.3 921600"], result.Packages.Select(p => $"{p.Name} {p.Version} {p.InstalledSizeBytes}"));
        Assert.Contains(result.Unknowns, u => u.Path == "/var/packages/woof-installed-packages" && u.Line == 2 && u.Reason.Contains("duplicate", StringComparison.Ordinal));
    }
}
