using Footprint.Analyzers.Packages;
using Footprint.Analyzers.Packages.Chisel;
using Footprint.Analyzers.Packages.Puppy;
using Footprint.Analyzers.Packages.Slackware;
using Footprint.Analyzers.Packages.Tazpkg;
using Footprint.Analyzers.Packages.Tcz;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>The measure pipeline reports the tiny-distro ecosystems, reconciled with the files tar says the artifact holds.</summary>
public sealed class TinyDistroPipelineTests
{
    [Theory]
    [InlineData("tinycore", "tcz")]
    [InlineData("slackware", "slackware")]
    [InlineData("tazpkg", "tazpkg")]
    [InlineData("puppy", "puppy")]
    [InlineData("chisel", "chisel")]
    public void Should_report_each_ecosystem_with_the_files_missing_from_the_tarball(string fixture, string ecosystem)
    {
        var tarball = DistroFixture.Tarball(fixture);
        var present = DistroFixture.TarPaths(tarball);
        var declared = PackageScan.Run(tarball, Reader(ecosystem)).Result();

        var report = Load.Measure(tarball);

        var inventory = report.Inventory!;
        var reported = inventory.Packages.Where(p => p.Ecosystem == ecosystem).ToList();
        Assert.Equal(declared.Packages.Select(p => p.Name).Order(StringComparer.Ordinal), reported.Select(p => p.Name));
        Assert.Contains(inventory.Databases, d => d.Ecosystem == ecosystem && d.Packages > 0);
        foreach (var p in declared.Packages)
        {
            var r = reported.Single(x => x.Name == p.Name);
            Assert.Equal(p.Files.Count(f => !present.Contains(f)), r.MissingFiles);
            Assert.Equal(p.Purl, r.Purl);
        }

        // Every fixture has one package listing a file that is not there, and one owning files that are.
        Assert.Contains(reported, r => r.MissingFiles > 0);
        Assert.Contains(reported, r => r.Grade == "database-and-files");
        Assert.Equal(declared.Unknowns.Count, inventory.Unknowns.Count);
    }

    [Theory]
    [InlineData("tinycore")]
    [InlineData("slackware")]
    [InlineData("tazpkg")]
    [InlineData("puppy")]
    [InlineData("chisel")]
    public void Should_write_sboms_the_official_schemas_accept(string fixture)
    {
        var report = new Footprint.Reports.Report { Tool = new Footprint.Reports.ToolInfo("footprint", "test"), Artifacts = [Load.Measure(DistroFixture.Tarball(fixture))] };
        var options = Footprint.Reports.Sbom.SbomOptions.Create("test", "1700000000", DateTimeOffset.UnixEpoch);
        Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, Footprint.Reports.CycloneDx.CycloneDxWriter.ToJson(report, options)));
        Assert.Empty(Schemas.Errors(SbomSchemas.Spdx23, Footprint.Reports.Spdx.SpdxWriter.ToJson(report, options)));
    }

    [Fact]
    public void Should_report_a_real_tiny_core_rootfs_as_tcz()
    {
        var rootfs = Repo.CorpusFile("tinycore/11.0/x86_64/rootfs64.tar.gz");
        var release = Tool.Output("tar", "-xOzf", rootfs, "./usr/share/doc/tc/release.txt").Trim();
        var report = Load.Measure(rootfs);
        var core = report.Inventory!.Packages.Single(p => p.Ecosystem == "tcz" && p.Name == "tinycore");
        Assert.Equal(release, core.Version);
        Assert.Equal("database-only", core.Grade);
        Assert.Equal(new Footprint.Measures.Inventory.PackageDatabaseReport("tcz", "/usr/share/doc/tc/release.txt", 1), report.Inventory.Databases.Single(d => d.Ecosystem == "tcz"));
    }

    private static IPackageDatabaseAnalyzer Reader(string ecosystem) => ecosystem switch
    {
        "tcz" => new TczDatabaseAnalyzer(),
        "slackware" => new SlackwareDatabaseAnalyzer(),
        "tazpkg" => new TazpkgDatabaseAnalyzer(),
        "puppy" => new PuppyDatabaseAnalyzer(),
        _ => new ChiselManifestAnalyzer(),
    };
}
