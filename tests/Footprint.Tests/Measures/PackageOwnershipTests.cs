using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures;

/// <summary>
/// Package databases reconciled with the files present, against an independent count: GNU tar's
/// extraction (or umoci's unpack) and the database's own file lists read by the test.
/// </summary>
public sealed class PackageOwnershipTests
{
    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
    [InlineData("alpine/alpine-minirootfs-3.12.12-x86_64.tar.gz")]
    public void Should_count_as_unowned_exactly_the_bytes_no_apk_package_lists(string relative)
    {
        var archive = Repo.CorpusFile(relative);
        using var dir = new TempDir();
        GroundTruth.Extract(archive, dir.Path);

        // The apk database's own file lists: "F:" names a directory, each "R:" a file in it.
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var current = string.Empty;
        foreach (var line in File.ReadLines(Path.Combine(dir.Path, "lib/apk/db/installed")))
        {
            if (line.StartsWith("F:", StringComparison.Ordinal))
            {
                current = line[2..];
            }
            else if (line.StartsWith("R:", StringComparison.Ordinal))
            {
                declared.Add(current + "/" + line[2..]);
            }
        }

        long unowned = 0;
        var inodes = new Dictionary<string, (long Size, bool Owned)>(StringComparer.Ordinal);
        foreach (var row in Tool.Output("find", dir.Path, "-type", "f", "-printf", "%i %s %P\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = row.Split(' ', 3);
            var owned = declared.Contains(parts[2]);
            inodes[parts[0]] = inodes.TryGetValue(parts[0], out var seen)
                ? (seen.Size, seen.Owned || owned)
                : (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), owned);
        }

        unowned = inodes.Values.Where(v => !v.Owned).Sum(v => v.Size);
        var report = Load.Measure(archive);
        var inventory = report.Inventory!;
        Assert.Equal("apk", Assert.Single(inventory.Databases, d => d.Ecosystem is not ("binary" or "go-module")).Ecosystem);
        Assert.Equal(unowned, inventory.UnownedBytes);
        Assert.Equal(report.Installed.ApparentBytes, inventory.OwnedBytes + inventory.UnownedBytes);
        Assert.All(inventory.Packages, p => Assert.Equal(0, p.MissingFiles));
    }

    [Fact]
    public void Should_report_files_deleted_by_an_upper_layer_as_missing_per_package()
    {
        var unpacked = Repo.Fixture("debian/two.unpacked/rootfs");
        var report = Load.Measure("oci:" + Repo.Fixture("debian/oci") + ":two");
        var inventory = report.Inventory!;
        Assert.Equal(96, inventory.Packages.Count(p => p.FoundBy is null)); // dpkg records; files-only finds are extra
        var checkedPackages = 0;
        foreach (var p in inventory.Packages.Where(p => p.FoundBy is null))
        {
            var list = Path.Combine(unpacked, "var/lib/dpkg/info", p.Name + ":" + p.Architecture + ".list");
            if (!File.Exists(list))
            {
                list = Path.Combine(unpacked, "var/lib/dpkg/info", p.Name + ".list");
            }

            // dpkg lists the root itself as "/."; the analyzer keeps paths below the root only.
            var paths = File.ReadAllLines(list).Where(l => l.Length > 0 && l != "/.").Distinct(StringComparer.Ordinal).ToList();
            var missing = paths.Count(path => !ExistsWithoutFollowingTheLast(Path.Combine(unpacked, path.TrimStart('/'))));
            Assert.True(missing == p.MissingFiles, $"{p.Name}: {p.MissingFiles} missing, the unpacked rootfs lacks {missing}");
            Assert.Equal(paths.Count, p.DeclaredFiles);
            checkedPackages++;
        }

        Assert.Equal(96, checkedPackages);
        Assert.True(inventory.Packages.Sum(p => p.MissingFiles) > 800, "layer 2 deletes usr/share/locale and the changelogs");

        // Files layer 2 dropped in (opt/footprint) belong to no package.
        var dropped = new DirectoryInfo(Path.Combine(unpacked, "opt/footprint")).EnumerateFiles().Where(f => f.LinkTarget is null).Sum(f => f.Length);
        Assert.True(inventory.UnownedBytes >= dropped);
        Assert.Equal(report.Installed.ApparentBytes, inventory.OwnedBytes + inventory.UnownedBytes);
    }

    [Fact]
    public void Should_say_there_is_no_package_database_rather_than_zero_packages()
    {
        // Only static BusyBox, no package database (Tiny Core, used here before, now has one: release.txt).
        var report = Load.Measure(Repo.Fixture("scratch-busybox/docker.tar"));
        // No package manager's database; BusyBox found in the binary (ecosystem "binary") is not one.
        Assert.DoesNotContain(report.Inventory!.Databases, d => d.Ecosystem is not ("binary" or "go-module"));
        Assert.Contains(report.Inventory.Packages, p => p is { Ecosystem: "binary", Name: "busybox", Grade: "files-only" });
        Assert.Equal(report.Installed.ApparentBytes, report.Inventory.OwnedBytes + report.Inventory.UnownedBytes);
    }

    /// <summary>lstat-like: the parent path is resolved by the OS (merged-/usr symlinks such as lib -> usr/lib), the last name is not followed.</summary>
    private static bool ExistsWithoutFollowingTheLast(string path)
        => Directory.Exists(path) || File.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
