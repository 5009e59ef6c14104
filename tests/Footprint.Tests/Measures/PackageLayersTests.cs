using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures;

/// <summary>
/// Which layer brought each package: an image whose base layer is the Alpine 3.19.4 minirootfs and
/// whose second layer is the 3.20.3 one (an in-place upgrade, as `apk upgrade` in a Dockerfile makes).
/// Expected values come from the two databases read straight out of the tarballs.
/// </summary>
public sealed class PackageLayersTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_name_the_layer_that_introduced_and_that_changed_each_package()
    {
        var lower = Repo.CorpusFile("alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz");
        var upper = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var layout = BuildLayout("layout", lower, upper);
        var before = Versions(lower);
        var after = Versions(upper);

        var report = Load.Measure("oci:" + layout);
        var packages = report.Inventory!.Packages.Where(p => p.FoundBy is null).ToList(); // database packages, not files-only finds
        Assert.Equal(after.Count, packages.Count);
        foreach (var p in packages)
        {
            var existed = before.TryGetValue(p.Name, out var oldVersion);
            Assert.Equal(existed ? 0 : 1, p.IntroducedInLayer);
            Assert.Equal(existed && oldVersion != p.Version ? [1] : Array.Empty<int>(), p.ChangedInLayers);
        }

        Assert.Contains(packages, p => p.ChangedInLayers is [1]);
        Assert.Empty(Schemas.Errors(Schemas.Report, Footprint.Reports.Json.JsonReportWriter.ToJson(new Footprint.Reports.Report { Tool = new("footprint", "test"), Artifacts = [report] })));
    }

    private static Dictionary<string, string> Versions(string tarball)
    {
        var text = Tool.Output("tar", "-xOzf", tarball, "--wildcards", "*lib/apk/db/installed");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("P:", StringComparison.Ordinal))
            {
                name = line[2..];
            }
            else if (line.StartsWith("V:", StringComparison.Ordinal) && name is not null)
            {
                result[name] = line[2..];
            }
        }

        return result;
    }

    [Fact]
    public void Should_split_packages_into_base_changed_and_added_when_the_base_is_a_prefix()
    {
        var lower = Repo.CorpusFile("alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz");
        var upper = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var image = BuildLayout("image", lower, upper);
        var baseImage = BuildLayout("base", lower);
        var before = Versions(lower);
        var after = Versions(upper);

        var report = Load.Measure("oci:" + image, new Footprint.Pipeline.MeasureOptions { Base = "oci:" + baseImage });

        var split = report.Inventory!.Base!;
        Assert.True(split.Matched, split.Reason);
        Assert.Equal(1, split.BaseLayers);
        foreach (var p in report.Inventory.Packages.Where(p => p.Ecosystem == "apk"))
        {
            var expected = !before.TryGetValue(p.Name, out var old) ? "added" : old == after[p.Name] ? "base" : "base-changed";
            Assert.True(expected == p.Origin, $"{p.Name}: expected {expected}, got {p.Origin}");
        }

        // Counts are over every package (files-only finds such as BusyBox take the layer of the file they were found in).
        Assert.Equal(report.Inventory.Packages.Count(p => p.Origin == "added"), split.AddedPackages);
        Assert.Equal(report.Inventory.Packages.Count(p => p.Origin == "base-changed"), split.ChangedPackages);
        Assert.Equal(report.Inventory.Packages.Count(p => p.Origin == "base"), split.BasePackages);
        Assert.True(split.ChangedPackages > 0);
        Assert.Equal(report.Installed.Layers[1].AddedBytes + report.Installed.Layers[1].ModifiedBytes, split.AddedBytes);
        Assert.Empty(Schemas.Errors(Schemas.Report, Footprint.Reports.Json.JsonReportWriter.ToJson(new Footprint.Reports.Report { Tool = new("footprint", "test"), Artifacts = [report] })));
    }

    [Fact]
    public void Should_say_why_a_base_that_is_not_a_prefix_does_not_match()
    {
        var image = BuildLayout("image", Repo.CorpusFile("alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz"), Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        var other = BuildLayout("other", Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));

        var split = Load.Measure("oci:" + image, new Footprint.Pipeline.MeasureOptions { Base = "oci:" + other }).Inventory!;

        Assert.False(split.Base!.Matched);
        Assert.StartsWith("layer 0 differs", split.Base.Reason, StringComparison.Ordinal);
        Assert.All(split.Packages, p => Assert.Null(p.Origin));
    }

    [Fact]
    public void Should_attribute_opkg_packages_to_layers()
    {
        // OpenWrt's rootfs, then a layer that upgrades one package and installs another, as `opkg upgrade/install` would.
        var lower = Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz");
        var status = Tool.Output("tar", "-xOzf", lower, "./usr/lib/opkg/status");
        Assert.Contains("Package: opkg\nVersion: 2021-01-31-c5dccea9-1\n", status, StringComparison.Ordinal);
        var upgraded = status.Replace("Package: opkg\nVersion: 2021-01-31-c5dccea9-1\n", "Package: opkg\nVersion: 2022-02-24-d038e5b6-1\n", StringComparison.Ordinal)
            + "\nPackage: tcpdump-mini\nVersion: 4.9.3-4\nDepends: libc, libpcap1\nStatus: install user installed\nArchitecture: aarch64_generic\n";
        var upper = Layer("opkg-upper.tar.gz", ("usr/lib/opkg/status", System.Text.Encoding.UTF8.GetBytes(upgraded)));

        var packages = Load.Measure("oci:" + BuildLayout("opkg", lower, upper)).Inventory!.Packages.Where(p => p.Ecosystem == "opkg").ToList();

        var names = System.Text.RegularExpressions.Regex.Matches(status, "^Package: (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(names.Count + 1, packages.Count);
        foreach (var p in packages)
        {
            Assert.Equal(p.Name == "tcpdump-mini" ? 1 : 0, p.IntroducedInLayer);
            Assert.Equal(p.Name == "opkg" ? [1] : Array.Empty<int>(), p.ChangedInLayers);
        }
    }

    [Fact]
    public void Should_attribute_rpm_packages_to_layers()
    {
        // Two real rpm databases written by Debian's rpm: footprint-demo 1.0 installed, then upgraded to 2.0 beside a new package.
        var work = _dir.File("rpm");
        Directory.CreateDirectory(work);
        Tool.Shell("cd '" + work + "'\n" + """
            spec() { printf 'Name: %s\nVersion: %s\nRelease: 1\nSummary: s\nLicense: MIT\nBuildArch: noarch\n%%description\nd\n%%install\nmkdir -p %%{buildroot}/usr/share/%s\necho %s > %%{buildroot}/usr/share/%s/VERSION\n%%files\n/usr/share/%s/VERSION\n' "$1" "$2" "$1" "$2" "$1" "$1" > "$1-$2.spec"
                rpmbuild --quiet --define "_topdir $PWD/top" -bb "$1-$2.spec" >/dev/null 2>&1; }
            spec footprint-demo 1.0; spec footprint-demo 2.0; spec footprint-extra 0.1
            r() { rpm --dbpath "$PWD/$1" --justdb --nodeps --ignorearch --ignoreos "${@:2}" 2>/dev/null; }
            mkdir db1; rpm --dbpath "$PWD/db1" --initdb
            r db1 -i top/RPMS/noarch/footprint-demo-1.0-1.noarch.rpm
            cp -r db1 db2
            r db2 -U top/RPMS/noarch/footprint-demo-2.0-1.noarch.rpm
            r db2 -i top/RPMS/noarch/footprint-extra-0.1-1.noarch.rpm
            for d in db1 db2; do python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" $d/rpmdb.sqlite; done
            """);
        Assert.Equal("footprint-demo-1.0-1.noarch", Tool.Output("rpm", "--dbpath", Path.Combine(work, "db1"), "-qa").Trim());
        var lowerDb = File.ReadAllBytes(Path.Combine(work, "db1", "rpmdb.sqlite"));
        var upperDb = File.ReadAllBytes(Path.Combine(work, "db2", "rpmdb.sqlite"));
        var lower = Layer("rpm-lower.tar.gz", ("var/lib/rpm/rpmdb.sqlite", lowerDb), ("etc/os-release", "ID=fedora\nVERSION_ID=40\n"u8.ToArray()));
        var upper = Layer("rpm-upper.tar.gz", ("var/lib/rpm/rpmdb.sqlite", upperDb));

        var packages = Load.Measure("oci:" + BuildLayout("rpm-image", lower, upper)).Inventory!.Packages.Where(p => p.Ecosystem == "rpm").ToList();

        Assert.Equal(["footprint-demo", "footprint-extra"], packages.Select(p => p.Name).Order(StringComparer.Ordinal));
        var demo = packages.Single(p => p.Name == "footprint-demo");
        Assert.Equal("2.0-1", demo.Version);
        Assert.Equal(0, demo.IntroducedInLayer);
        Assert.Equal([1], demo.ChangedInLayers);
        Assert.Equal(1, packages.Single(p => p.Name == "footprint-extra").IntroducedInLayer);
    }

    /// <summary>A gzip-compressed layer tarball holding the given files (directories implied).</summary>
    private string Layer(string name, params (string Path, byte[] Bytes)[] files)
    {
        var path = _dir.File(name);
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var tar = new System.Formats.Tar.TarWriter(gz, System.Formats.Tar.TarEntryFormat.Pax))
        {
            foreach (var (p, bytes) in files)
            {
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, p) { DataStream = new MemoryStream(bytes) });
            }
        }

        return path;
    }

    private string BuildLayout(string name, params string[] layers)
    {
        var root = _dir.File(name);
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var diffIds = new List<string>();
        var descriptors = new List<object>();
        foreach (var layer in layers)
        {
            var bytes = File.ReadAllBytes(layer);
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(gz)));
            var blob = Blob(root, bytes);
            descriptors.Add(new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = blob.Digest, size = blob.Size });
        }

        var config = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = diffIds } }));
        var manifest = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
            layers = descriptors,
        }));
        File.WriteAllBytes(Path.Combine(root, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = manifest.Digest, size = manifest.Size } },
        }));
        return root;
    }

    private static (string Digest, long Size) Blob(string root, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}
