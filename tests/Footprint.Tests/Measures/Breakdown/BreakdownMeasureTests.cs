using System.Formats.Tar;
using System.IO.Compression;
using Footprint.Measures.Breakdown;
using Footprint.Pipeline;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Breakdown;

public sealed class BreakdownMeasureTests
{
    private const string Alpine = "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz";

    [Fact]
    public void Should_match_the_tar_listing_and_the_apk_database_for_every_listed_directory_and_package()
    {
        var path = Repo.CorpusFile(Alpine);
        var report = Load.Measure(path, new MeasureOptions { Breakdown = true, MeasurePushSize = false });
        var breakdown = report.Breakdown!;

        // Independent ground truth: the tarball read by System.Formats.Tar (regular files; hard-link entries carry no bytes).
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        {
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } e)
            {
                if (e.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    files["/" + e.Name.TrimStart('.', '/')] = e.Length;
                }
            }
        }

        // ... and the apk database read line by line: F: a directory, R: a file in it.
        var declared = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? package = null, dir = null;
        foreach (var line in ApkInstalled(path).Split('\n'))
        {
            if (line.StartsWith("P:", StringComparison.Ordinal))
            {
                package = line[2..];
                declared[package] = [];
            }
            else if (line.StartsWith("F:", StringComparison.Ordinal))
            {
                dir = line[2..];
            }
            else if (line.StartsWith("R:", StringComparison.Ordinal) && package is not null)
            {
                declared[package].Add($"/{dir}/{line[2..]}");
            }
        }

        var owned = declared.Values.SelectMany(x => x).Where(files.ContainsKey).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(owned);
        Assert.True(breakdown.Directories.Count > 10);
        foreach (var d in breakdown.Directories)
        {
            var prefix = d.Path == "/" ? "/" : d.Path + "/";
            var under = files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(under.Sum(f => f.Value), d.ApparentBytes);
            Assert.Equal(under.Count, d.Files);
            Assert.Equal(under.Where(f => owned.Contains(f.Key)).Sum(f => f.Value), d.OwnedBytes);
            Assert.Equal(d.ApparentBytes - d.OwnedBytes, d.UnownedBytes);
        }

        foreach (var share in breakdown.Packages)
        {
            var mine = declared[share.Name].Where(files.ContainsKey).ToList();
            Assert.Equal(mine.Sum(f => files[f]), share.Bytes);
            Assert.Equal(mine.Count, share.Files);
        }

        Assert.Equal(declared.Count(p => p.Value.Any(f => files.TryGetValue(f, out var n) && n > 0)), breakdown.Packages.Count);
        Assert.Equal(report.Inventory!.OwnedBytes, breakdown.OwnedBytes);
        Assert.Equal(report.Inventory.UnownedBytes, breakdown.UnownedBytes);
    }

    [Fact]
    public void Should_add_up_to_the_installed_and_inventory_figures_on_a_two_layer_image()
    {
        var report = Load.Measure(Repo.Fixture("debian/oci") + ":two", new MeasureOptions { Breakdown = true, MeasurePushSize = false });
        var b = report.Breakdown!;
        var root = Assert.Single(b.Directories, d => d.Path == "/");
        Assert.Equal("/", b.Directories[0].Path);
        Assert.Equal(report.Installed.ApparentBytes, root.ApparentBytes);
        Assert.Equal(report.Installed.OnDiskBytes, root.OnDiskBytes);
        Assert.Equal(report.Installed.Files, root.Files);
        Assert.Equal(report.Inventory!.OwnedBytes, b.Packages.Sum(p => p.Bytes) + b.OtherPackagesBytes);
        Assert.Equal(report.Inventory.OwnedBytes, root.OwnedBytes);
        Assert.InRange(b.Directories.Count, 2, BreakdownMeasure.MaxDirectories);
        var listed = b.Directories.ToDictionary(d => d.Path);
        foreach (var d in b.Directories)
        {
            var children = b.Directories.Where(c => c.Path != "/" && Parent(c.Path) == d.Path).ToList();
            Assert.Equal(d.ApparentBytes, d.UnlistedBytes + children.Sum(c => c.ApparentBytes));
            Assert.Equal(d.UnlistedBytes, d.UnlistedOwnedBytes + d.UnlistedUnownedBytes);
            Assert.True(d.Path == "/" || listed.ContainsKey(Parent(d.Path)), $"{d.Path}: parent not listed");
            Assert.True(d.Path == "/" || d.ApparentBytes >= b.MinDirectoryBytes);
        }

        Assert.Null(Load.Measure(Repo.Fixture("debian/oci") + ":two", new MeasureOptions { MeasurePushSize = false }).Breakdown);
    }

    private static string Parent(string path) => path.LastIndexOf('/') is var i && i <= 0 ? "/" : path[..i];

    private static string ApkInstalled(string tarball) => Tool.Shell($"tar -xzOf '{tarball}' --wildcards '*lib/apk/db/installed'");
}
