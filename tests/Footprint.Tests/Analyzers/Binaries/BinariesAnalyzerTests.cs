using System.Text.RegularExpressions;
using Footprint.Analyzers.Binaries;
using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats.Elf;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Tests.Formats;
using Footprint.Tests.TestSupport;
using Footprint.Walk;
using TempDir = Footprint.Tests.Formats.TempDir;

namespace Footprint.Tests.Analyzers.Binaries;

/// <summary>
/// Software found in binaries, against the real tools: strings(1) for the BusyBox banner, GNU tar's listing for the
/// applet links, Alpine's own apk record of busybox, `go version -m` for Go build info, readelf -p .comment for the
/// Buildroot marker.
/// </summary>
public sealed partial class BinariesAnalyzerTests
{
    public sealed class BusyBox
    {
        [Theory]
        [InlineData("busybox/latest/glibc/amd64/rootfs.tar.gz")]
        [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz")]
        [InlineData("busybox/latest/uclibc/amd64/rootfs.tar.gz")]
        [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
        [InlineData("alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz")]
        [InlineData("rootfs-exports/wodim+samknows-squashfs.tar.gz")]
        public void Should_match_strings_and_the_tar_listing(string corpus)
        {
            var archive = Repo.CorpusFile(corpus);
            var (binary, version, links) = Truth(archive);
            var (inventory, _) = Scan(archive);
            var busybox = Assert.Single(inventory.Packages, p => p.Name == "busybox");
            Assert.Equal(version, busybox.Version);
            Assert.Equal($"pkg:generic/busybox@{version}", busybox.Purl);
            Assert.Contains(binary, busybox.Files);
            Assert.Equal(links.Order(StringComparer.Ordinal), busybox.Files.Order(StringComparer.Ordinal));
            Assert.Contains($"{links.Count - 1} applet links", busybox.FoundBy, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_agree_with_the_apk_database_on_alpine()
        {
            var report = Load.Measure(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
            // The binary apk installed is the apk package: what was found in it is evidence there, not a second package.
            var apk = Assert.Single(report.Inventory!.Packages, p => p.Ecosystem == "apk" && p.Name == "busybox");
            Assert.DoesNotContain(report.Inventory.Packages, p => p.Ecosystem == "binary" && p.Name == "busybox");
            var found = Assert.Single(apk.BinaryEvidence!);
            Assert.StartsWith($"busybox {apk.Version[..apk.Version.LastIndexOf("-r", StringComparison.Ordinal)]} found in /bin/busybox (busybox version string in /bin/busybox", found.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_find_the_same_on_disk_as_in_the_layer_stream()
        {
            var (fromTar, fromDisk) = BusyBoxInTarAndOnDisk(Repo.CorpusFile("busybox/latest/musl/amd64/rootfs.tar.gz"));
            Assert.Equal(fromTar.Version, fromDisk.Version);
            Assert.Equal(fromTar.Files, fromDisk.Files);
        }

        /// <summary>
        /// Alpine's applets are symlinks to /bin/busybox: on disk each was once looked up as a new file after the walk,
        /// and the one binary came out as one BusyBox package per applet link. The tarball of the same tree is the truth.
        /// </summary>
        [Fact]
        public void Should_find_one_busybox_on_disk_when_its_applets_are_symlinks()
        {
            var (fromTar, fromDisk) = BusyBoxInTarAndOnDisk(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
            Assert.Equal(fromTar.Version, fromDisk.Version);
            Assert.Equal(fromTar.Files, fromDisk.Files);
            Assert.Equal(fromTar.FoundBy, fromDisk.FoundBy);
            Assert.True(fromDisk.Files.Count > 100, $"{fromDisk.Files.Count} paths");
        }

        /// <summary>The binary (the path named busybox), the banner version from strings(1), and every path that is it: hard links and symlinks to it.</summary>
        private static (string Binary, string Version, List<string> Paths) Truth(string archive)
        {
            using var dir = new TempDir();
            var listing = ExternalTools.Bash(dir.Path, $"tar -tvzf '{archive}'").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var names = listing.Select(l => TarLine().Match(l)).Where(m => m.Success).ToList();
            var binary = names.Select(m => m.Groups["name"].Value).First(n => n.EndsWith("bin/busybox", StringComparison.Ordinal));
            ExternalTools.Bash(dir.Path, $"tar -xzf '{archive}' --no-same-owner");
            var version = Regex.Match(ExternalTools.Bash(dir.Path, $"strings -a '{Clean(binary)}' | grep -m1 -o 'BusyBox v[^ ]*'"), @"v(\S+)").Groups[1].Value;
            // Hard links: every entry "link to" the first entry of the inode, which may be bin/[ rather than bin/busybox.
            var first = names.FirstOrDefault(m => m.Groups["type"].Value == "h" && Clean(m.Groups["name"].Value) == Clean(binary))?.Groups["target"].Value ?? binary;
            var group = names.Where(m => (m.Groups["type"].Value == "h" && Clean(m.Groups["target"].Value) == Clean(first)) || Clean(m.Groups["name"].Value) == Clean(first))
                .Select(m => "/" + Clean(m.Groups["name"].Value));
            var symlinks = names.Where(m => m.Groups["type"].Value == "l" && m.Groups["target"].Value.Split('/')[^1] == "busybox")
                .Select(m => "/" + Clean(m.Groups["name"].Value));
            return ("/" + Clean(binary), version, group.Concat(symlinks).Distinct().ToList());
        }

        private static string Clean(string tarName) => tarName.StartsWith("./", StringComparison.Ordinal) ? tarName[2..] : tarName;
    }

    public sealed class Go
    {
        [Theory]
        [InlineData("hello")]
        [InlineData("hello-arm64")]
        public void Should_match_go_version_m(string binary)
        {
            var file = Repo.Fixture("go/" + binary);
            var truth = GoVersionM(file);
            var bytes = File.ReadAllBytes(file);
            var info = ElfReader.Read(bytes, bytes.Length)!.Go!;
            Assert.Equal(truth.GoVersion, info.GoVersion);
            Assert.Equal(truth.Path, info.MainPackagePath);
            Assert.Equal(truth.Modules, Describe(info));
            Assert.Equal(truth.Settings, info.Settings.Select(s => $"{s.Key}={s.Value}").ToList());
            using var handle = File.OpenHandle(file);
            Assert.Equal(Describe(info), Describe(ElfReader.Read(handle, bytes.Length)!.Go!));
        }

        [Fact]
        public void Should_report_the_main_module_and_dependencies_as_go_module_packages()
        {
            using var dir = new TempDir();
            ExternalTools.Bash(dir.Path, $"mkdir -p usr/local/bin && cp '{Repo.Fixture("go/hello")}' usr/local/bin/ && tar -cf go.tar usr");
            var truth = GoVersionM(Repo.Fixture("go/hello"));
            var (_, modules) = Scan(dir["go.tar"]);
            var expected = truth.Modules.Where(m => !m.StartsWith("=>", StringComparison.Ordinal)).Select(m => m.Split(' ')).Select(f => $"{f[1]}@{f[2]}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, modules.Packages.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
            Assert.All(modules.Packages, p => Assert.Equal("/usr/local/bin/hello", p.Evidence.Path));
            Assert.Contains(modules.Packages, p => p.Purl == "pkg:golang/example.com/footprint/greet@v1.2.3" && p.FoundBy!.Contains("replaced by ../greet", StringComparison.Ordinal));
            Assert.Contains(modules.Packages, p => p.Purl == "pkg:golang/example.com/footprint/hello");
        }

        [Fact]
        public void Should_find_build_info_past_the_buffered_part_of_a_large_binary()
        {
            // hello-big keeps .go.buildinfo at ~76 MiB, past ElfInspector.MaxInspectBytes: the layer stream finds it
            // by the tail scan, the disk path by random access.
            var file = Repo.Fixture("go/hello-big");
            Assert.True(new FileInfo(file).Length > ElfInspector.MaxInspectBytes);
            var truth = GoVersionM(file);
            using var dir = new TempDir();
            ExternalTools.Bash(dir.Path, $"mkdir -p root/usr/bin && ln '{file}' root/usr/bin/big 2>/dev/null || cp '{file}' root/usr/bin/big; tar -cf big.tar -C root usr");
            var (_, fromStream) = Scan(dir["big.tar"]);
            var (_, fromDisk) = ScanDirectory(dir["root"]);
            var expected = truth.Modules.Select(m => m.Split(' ')).Select(f => $"{f[1]}@{f[2]}").ToList();
            Assert.Equal(expected, fromStream.Packages.Select(p => $"{p.Name}@{p.Version}").ToList());
            Assert.Equal(expected, fromDisk.Packages.Select(p => $"{p.Name}@{p.Version}").ToList());
            Assert.Contains(truth.GoVersion, fromStream.Packages[0].FoundBy, StringComparison.Ordinal);
        }

        private static List<string> Describe(GoBuildInfo info)
        {
            var lines = new List<string>();
            if (info.Main is { } main)
            {
                lines.Add($"mod {main.Path} {main.Version} {main.Sum}".TrimEnd());
            }

            foreach (var d in info.Dependencies)
            {
                lines.Add($"dep {d.Path} {d.Version} {d.Sum}".TrimEnd());
                if (d.Replacement is { } r)
                {
                    lines.Add($"=> {r.Path} {r.Version} {r.Sum}".TrimEnd());
                }
            }

            return lines;
        }

        private static (string GoVersion, string? Path, List<string> Modules, List<string> Settings) GoVersionM(string file)
        {
            ExternalTools.Require("go");
            var lines = ExternalTools.Bash("/", $"go version -m '{file}'").Split('\n');
            var version = lines[0][(lines[0].IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
            string? path = null;
            var modules = new List<string>();
            var settings = new List<string>();
            foreach (var line in lines.Skip(1))
            {
                var f = line.Trim('\t').Split('\t');
                switch (f[0])
                {
                    case "path": path = f[1]; break;
                    case "mod" or "dep" or "=>": modules.Add(string.Join(' ', f).TrimEnd()); break;
                    case "build": settings.Add(f[1]); break;
                }
            }

            return (version, path, modules, settings);
        }
    }

    public sealed class Buildroot
    {
        [Fact]
        public void Should_count_the_files_whose_comment_readelf_shows_the_marker_in()
        {
            using var dir = new TempDir();
            var archive = Repo.CorpusFile("images/buildroot-tp/rootfs.tar");
            ExternalTools.Require("readelf");
            ExternalTools.Bash(dir.Path, $"tar -xf '{archive}' --no-same-owner");
            // Truth: every regular file whose .comment readelf prints with "Buildroot VERSION" in it.
            var truth = ExternalTools.Bash(dir.Path, "find . -type f -size +51c -print0 | xargs -0 -n1 sh -c 'readelf -p .comment \"$0\" 2>/dev/null | grep -o \"Buildroot [^)]*\" | sort -u | sed \"s|^|$0 |\"' | sort")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
            Assert.NotEmpty(truth);
            var (binaries, _) = Scan(archive);
            foreach (var version in truth.Select(t => t[2]).Distinct())
            {
                var expected = truth.Where(t => t[2] == version).Select(t => t[0][1..]).Order(StringComparer.Ordinal).ToList();
                var package = Assert.Single(binaries.Packages, p => p.Name == "buildroot" && p.Version == version);
                Assert.Equal(expected, package.Files);
                Assert.Contains($"in {expected.Count} ELF files", package.FoundBy, StringComparison.Ordinal);
                Assert.Equal($"pkg:generic/buildroot@{version}", package.Purl);
            }
        }

        [Theory]
        [InlineData("GCC: (Buildroot 2018.08) 7.3.0", "2018.08")]
        [InlineData("GCC: (Buildroot 2023.02.1-dirty) 12.3.0", "2023.02.1-dirty")]
        [InlineData("GCC: (Debian 12.2.0-14) 12.2.0", null)]
        [InlineData("GCC: (Buildroot) 12.3.0", null)]
        public void Should_read_the_version_from_the_marker(string comment, string? version)
            => Assert.Equal(version, BinariesAnalyzer.BuildrootVersion(comment));
    }

    /// <summary>The BusyBox package found in <paramref name="archive"/> read as a layer stream, and in the same tree extracted by tar(1).</summary>
    private static (Package FromTar, Package FromDisk) BusyBoxInTarAndOnDisk(string archive)
    {
        using var dir = new TempDir();
        ExternalTools.Bash(dir.Path, $"mkdir root && tar -xzf '{archive}' -C root --no-same-owner");
        return (Scan(archive).Binaries.Packages.Single(p => p.Name == "busybox"), ScanDirectory(dir["root"]).Binaries.Packages.Single(p => p.Name == "busybox"));
    }

    /// <summary>Loads an artifact through the loader (the layer-stream path) and walks it with the analyzer.</summary>
    internal static (PackageInventory Binaries, PackageInventory GoModules) Scan(string archive)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(archive, null, warnings);
        var analyzer = new BinariesAnalyzer();
        var fs = new ArtifactLoader([analyzer], new LayerReadOptions()).Load(source, warnings);
        Walker.Run(fs, [analyzer]);
        return analyzer.Result(fs);
    }

    /// <summary>The same through a directory source (files read from disk as the walk asks).</summary>
    internal static (PackageInventory Binaries, PackageInventory GoModules) ScanDirectory(string directory)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(directory, null, warnings);
        var view = ((Footprint.Sources.Directory.DirectorySource)source).OpenView();
        var analyzer = new BinariesAnalyzer();
        Walker.Run(view, [analyzer]);
        return analyzer.Result(view);
    }

    [GeneratedRegex(@"^(?<type>[-dlhcbp])\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(?<name>.+?)(?:\s+(?:->|link to)\s+(?<target>.+))?$")]
    private static partial Regex TarLine();
}
