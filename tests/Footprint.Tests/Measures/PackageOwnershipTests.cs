using System.Globalization;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures;

/// <summary>
/// Package databases reconciled with the files present, against an independent count: GNU tar's
/// extraction (or umoci's unpack) and the database's own file lists read by the test.
/// </summary>
public sealed class PackageOwnershipTests
{
    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", false)]
    [InlineData("alpine/alpine-minirootfs-3.12.12-x86_64.tar.gz", false)]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", true)]
    public void Should_count_as_unowned_exactly_the_bytes_no_apk_package_lists(string relative, bool fromDirectory)
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
        // On disk (a new FileData per lookup) /bin/busybox, declared by apk and found by its version string, was owned twice.
        var report = Load.Measure(fromDirectory ? "dir:" + dir.Path : archive);
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

    [Fact]
    public void Should_credit_a_go_binary_once_to_its_main_module_and_nothing_to_the_modules_inside()
    {
        // Truth: the files of the fixture folder; `go version -m` is what the binaries analyzer tests check the modules against.
        var folder = Repo.Fixture("go");
        var binaries = new[] { "hello", "hello-arm64", "hello-big" }.ToDictionary(n => "/" + n, n => new FileInfo(Path.Combine(folder, n)).Length);
        var others = new DirectoryInfo(folder).EnumerateFiles().Where(f => !binaries.ContainsKey("/" + f.Name)).Sum(f => f.Length);

        var report = Load.Measure(folder);
        var inventory = report.Inventory!;

        Assert.Equal(binaries.Values.Sum(), inventory.OwnedBytes); // 83,431,447 before: every module credited with its binary
        Assert.Equal(others, inventory.UnownedBytes);
        Assert.Equal(report.Installed.ApparentBytes, inventory.OwnedBytes + inventory.UnownedBytes);
        var mains = inventory.Packages.Where(p => p.FoundBy!.Contains("main module", StringComparison.Ordinal)).ToList();
        Assert.Equal(binaries.OrderBy(b => b.Key, StringComparer.Ordinal), mains.Select(p => KeyValuePair.Create(p.Evidence.Path, p.MeasuredBytes!.Value)).OrderBy(b => b.Key, StringComparer.Ordinal));
        var dependencies = inventory.Packages.Where(p => p.FoundBy!.Contains(", dependency", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dependencies);
        Assert.All(dependencies, p => Assert.Null(p.MeasuredBytes));
        Assert.All(dependencies, p => Assert.Contains(p.Evidence.Path, binaries.Keys));
    }

    [Fact]
    public void Should_leave_a_go_binary_a_database_package_installed_to_that_package()
    {
        // Given: Alpine with a Go program that an apk record ("hello") declares.
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(root);
        GroundTruth.Extract(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"), root);
        File.Copy(Repo.Fixture("go/hello"), Path.Combine(root, "usr/bin/hello"));
        File.AppendAllText(Path.Combine(root, "lib/apk/db/installed"), "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:hello\nV:1.0-r0\nA:x86_64\nS:1\nI:1\nT:test\nF:usr/bin\nR:hello\n\n");
        var archive = dir.File("alpine-hello.tar");
        Tool.Output("tar", "-cf", archive, "-C", root, ".");
        var size = new FileInfo(Repo.Fixture("go/hello")).Length;
        var without = Load.Measure(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")).Inventory!;

        // When
        var report = Load.Measure(archive);
        var inventory = report.Inventory!;

        // Then: the apk package keeps the bytes; the main module is still listed (a Go component) but owns none of them.
        Assert.Equal(size, Assert.Single(inventory.Packages, p => p is { Ecosystem: "apk", Name: "hello" }).MeasuredBytes);
        var main = Assert.Single(inventory.Packages, p => p.Ecosystem == "go-module" && p.FoundBy!.Contains("main module", StringComparison.Ordinal));
        Assert.Equal(0, main.MeasuredBytes);
        Assert.Equal(without.OwnedBytes + size, inventory.OwnedBytes);
        Assert.Equal(report.Installed.ApparentBytes, inventory.OwnedBytes + inventory.UnownedBytes);
    }

    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
    [InlineData("alpine/alpine-minirootfs-3.8.5-x86_64.tar.gz")]
    public void Should_make_the_busybox_found_in_an_apk_owned_binary_evidence_on_that_package(string relative)
    {
        // Truth: the apk database's own records, and the banner in the binary it installed.
        var archive = Repo.CorpusFile(relative);
        var records = int.Parse(Tool.Shell($"tar -xOzf '{archive}' ./lib/apk/db/installed | grep -c '^P:'").Trim(), CultureInfo.InvariantCulture);
        var banner = Tool.Shell($"tar -xOzf '{archive}' ./bin/busybox | grep -aoE 'BusyBox v[0-9.]+' | head -1").Trim()["BusyBox v".Length..];

        var report = Load.Measure(archive);

        AssertOneCountEverywhere(report, records);
        Assert.DoesNotContain(report.Inventory!.Packages, p => p.Ecosystem == "binary");
        Assert.DoesNotContain(report.Inventory.Databases, d => d.Ecosystem == "binary");
        var busybox = Assert.Single(report.Inventory.Packages, p => p is { Ecosystem: "apk", Name: "busybox" });
        var evidence = Assert.Single(busybox.BinaryEvidence!);
        Assert.Equal("/bin/busybox", evidence.Path);
        Assert.StartsWith($"busybox {banner} found in /bin/busybox", evidence.Detail, StringComparison.Ordinal);
        Assert.All(report.Inventory.Packages.Where(p => p != busybox), p => Assert.Null(p.BinaryEvidence));
    }

    [Fact]
    public void Should_make_the_busybox_found_in_an_opkg_owned_binary_evidence_on_that_package()
    {
        // Truth: unsquashfs reads the firmware's squashfs at the offset of its magic.
        var image = Repo.CorpusFile("firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin");
        var offset = Tool.Shell($"grep -obUaP 'hsqs' '{image}' | head -1 | cut -d: -f1").Trim();
        var records = int.Parse(Tool.Shell($"unsquashfs -o {offset} -cat '{image}' usr/lib/opkg/status | grep -c '^Package:'").Trim(), CultureInfo.InvariantCulture);

        var report = Load.Measure(image);

        AssertOneCountEverywhere(report, records);
        var busybox = Assert.Single(report.Inventory!.Packages, p => p is { Ecosystem: "opkg", Name: "busybox" });
        Assert.StartsWith("busybox 1.23.2 found in /bin/busybox", Assert.Single(busybox.BinaryEvidence!).Detail, StringComparison.Ordinal);
    }

    /// <summary>The report, its JSON, CycloneDX (one component per package plus the OS) and SPDX (plus the artifact and the OS) agree.</summary>
    private static void AssertOneCountEverywhere(Footprint.Reports.ArtifactReport artifact, int packages)
    {
        Assert.Equal(packages, artifact.Inventory!.Packages.Count);
        var report = new Footprint.Reports.Report { Tool = new Footprint.Reports.ToolInfo("footprint", "test"), Artifacts = [artifact] };
        var options = Footprint.Reports.Sbom.SbomOptions.Create("test", "1700000000", DateTimeOffset.UnixEpoch);
        var json = System.Text.Json.Nodes.JsonNode.Parse(Footprint.Reports.Json.JsonReportWriter.ToJson(report))!;
        Assert.Equal(packages, json["artifacts"]![0]!["inventory"]!["packages"]!.AsArray().Count);
        var bom = System.Text.Json.Nodes.JsonNode.Parse(Footprint.Reports.CycloneDx.CycloneDxWriter.ToJson(report, options))!;
        Assert.Equal(packages + 1, bom["components"]!.AsArray().Count);
        var spdx = System.Text.Json.Nodes.JsonNode.Parse(Footprint.Reports.Spdx.SpdxWriter.ToJson(report, options))!;
        Assert.Equal(packages + 2, spdx["packages"]!.AsArray().Count);
    }

    /// <summary>lstat-like: the parent path is resolved by the OS (merged-/usr symlinks such as lib -> usr/lib), the last name is not followed.</summary>
    private static bool ExistsWithoutFollowingTheLast(string path)
        => Directory.Exists(path) || File.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
