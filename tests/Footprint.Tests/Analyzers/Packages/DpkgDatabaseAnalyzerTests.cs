using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>
/// dpkg databases against Debian's own dpkg-query run on the same files (extracted by GNU tar), and
/// distroless status.d trees against a dumb awk parse.
/// </summary>
public sealed class DpkgDatabaseAnalyzerTests
{
    private const string QueryFormat = "${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Status}\\n";

    private const string AwkStanzas = "BEGIN{RS=\"\";FS=\"\\n\"}{p=\"\";v=\"\";a=\"\";for(i=1;i<=NF;i++){if($i~/^Package:/)p=substr($i,10);if($i~/^Version:/)v=substr($i,10);if($i~/^Architecture:/)a=substr($i,15)} if(p!=\"\")print p\"\\t\"v\"\\t\"a}";

    private static readonly HashSet<string> InstalledStates = ["installed", "half-installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending"];

    [Fact]
    public void Should_take_licenses_from_each_packages_copyright_file_as_grep_finds_them()
    {
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        using var dir = new TempDir();
        Tool.Output("tar", "-xf", rootfs, "-C", dir.Path, "./usr/share/doc", "./var/lib/dpkg/status");

        var report = Load.Measure(rootfs);
        var packages = report.Inventory!.Packages.Where(p => p.Ecosystem == "deb").ToList();

        // Ground truth, per package: GNU grep over its copyright file (symlinked doc directories followed by the shell):
        // DEP-5 "License:" field values (non-empty), else /usr/share/common-licenses/NAME references; split into license atoms.
        var truth = Tool.Shell($$"""
            cd '{{dir.Path}}'
            for p in $(sed -n 's/^Package: //p' var/lib/dpkg/status | sort -u); do
              f=usr/share/doc/$p/copyright
              [ -f "$f" ] || { printf '%s\t\n' "$p"; continue; }
              if grep -qi '^License:[[:space:]]*[^[:space:]]' "$f"; then v=$(grep -i '^License:[[:space:]]*[^[:space:]]' "$f" | sed 's/^[Ll][Ii][Cc][Ee][Nn][Ss][Ee]:[[:space:]]*//')
              else v=$(grep -o '/usr/share/common-licenses/[A-Za-z0-9][A-Za-z0-9.+_-]*' "$f" | sed 's#.*/##; s/[.,]*$//' || true); fi
              printf '%s\t%s\n' "$p" "$(printf '%s\n' "$v" | sed 's/[[:space:]]*$//; s/[[:space:]]\+\(and\|or\|AND\|OR\)[[:space:]]\+/\n/g' | sed '/^$/d' | sort -u | paste -sd'|' || true)"
            done
            """).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "");

        Assert.Equal(truth.Count, packages.Count);
        foreach (var p in packages)
        {
            var atoms = (p.License ?? "").Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)
                .Split([" AND ", " OR "], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Order(StringComparer.Ordinal);
            Assert.True(truth[p.Name] == string.Join('|', atoms), $"{p.Name}: grep says '{truth[p.Name]}', we say '{p.License}'");
        }

        Assert.True(packages.Count(p => p.License is not null) >= packages.Count - 2);
        // libgcc-s1's doc directory is a symlink to gcc-12-base's: its license is found through it.
        Assert.Equal(packages.Single(p => p.Name == "gcc-12-base").License, packages.Single(p => p.Name == "libgcc-s1").License);
    }

    /// <summary>
    /// A directory is read through DiskView, which makes a new node at each lookup after the walk: the copyright file
    /// a package's doc path resolves to must still be known as the one the walk read (the host gave 0 licenses of 895).
    /// </summary>
    [Fact]
    public void Should_give_a_directory_the_packages_and_licenses_of_its_tarball()
    {
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        using var dir = new TempDir();
        Tool.Output("tar", "-x", "--no-same-owner", "-f", rootfs, "-C", dir.Path);

        var tarball = Load.Measure(rootfs).Inventory!.Packages.Where(p => p.Ecosystem == "deb").ToList();
        var directory = Load.Measure(dir.Path).Inventory!.Packages.Where(p => p.Ecosystem == "deb").ToList();

        static string Row(Footprint.Measures.Inventory.PackageReport p)
            => $"{p.Name}\t{p.Version}\t{p.Architecture}\t{p.Purl}\t{p.License}\t{p.DeclaredFiles}\t{p.MissingFiles}\t{p.MeasuredBytes}\t{p.Grade}";
        Assert.True(tarball.Count(p => p.License is not null) >= tarball.Count - 2, "nearly every package of the tarball has a license");
        Assert.Equal(tarball.Select(Row), directory.Select(Row));
    }

    [Fact]
    public void Should_agree_with_dpkg_query_on_the_debian_fixture()
    {
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        using var dir = new TempDir();
        Tool.Output("tar", "-xf", rootfs, "-C", dir.Path, "./var/lib/dpkg");
        var admin = Path.Combine(dir.Path, "var/lib/dpkg");

        var result = PackageScan.Run(rootfs, new DpkgDatabaseAnalyzer()).Result();

        AssertSameAsDpkgQuery(admin, result.Packages);
        Assert.Empty(result.Unknowns);
        Assert.Equal(["/var/lib/dpkg/status"], result.Databases);

        // Installed-Size (KiB) and file lists, per package, as dpkg-query prints them.
        var sizes = PackageScan.Lines(Tool.Output("dpkg-query", "--admindir=" + admin, "-W", "-f", "${Package}:${Architecture}\\t${Installed-Size}\\n"))
            .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1].Length == 0 ? (long?)null : long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture) * 1024);
        foreach (var p in result.Packages)
        {
            Assert.Equal(sizes[$"{p.Name}:{p.Architecture}"], p.InstalledSizeBytes);
        }

        foreach (var name in new[] { "bash", "libc6", "dpkg", "base-files" })
        {
            var listed = PackageScan.Lines(Tool.Output("dpkg-query", "--admindir=" + admin, "-L", name))
                .Where(l => l != "/.").Select(l => l.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(listed, result.Packages.Single(p => p.Name == name).Files.ToHashSet(StringComparer.Ordinal));
        }

        var bash = result.Packages.Single(p => p.Name == "bash");
        Assert.Contains("bin/bash", bash.Files); // bookworm lists pre-merged-usr paths; usr-merge is a symlink
        Assert.StartsWith("pkg:deb/debian/bash@", bash.Purl, StringComparison.Ordinal);
        Assert.Equal("/var/lib/dpkg/status", bash.Evidence.Path);
        var line = int.Parse(Tool.Output("awk", "/^Package: bash$/{print NR; exit}", Path.Combine(admin, "status")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(line, bash.Evidence.Line);
    }

    [Fact]
    public void Should_agree_with_dpkg_query_on_the_nginx_image_database()
    {
        var root = Repo.CorpusFile("pkgdb/jasonwsuk+viking_nginx");
        var result = PackageScan.Run(root, new DpkgDatabaseAnalyzer()).Result();
        AssertSameAsDpkgQuery(Path.Combine(root, "var/lib/dpkg"), result.Packages);
        Assert.Empty(result.Unknowns);
    }

    [Theory]
    [InlineData("claircore/dpkg/testdata/texlive.status")]
    [InlineData("claircore/dpkg/testdata/debian-only.status")]
    [InlineData("claircore/dpkg/testdata/postgresql.status")]
    public void Should_agree_with_dpkg_query_on_status_files_of_other_scanners(string relative)
    {
        using var tree = PackageScan.Tree(("var/lib/dpkg/status", File.ReadAllText(Repo.CorpusFile(relative))));
        var result = PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result();
        AssertSameAsDpkgQuery(Path.Combine(tree.Path, "var/lib/dpkg"), result.Packages);
    }

    /// <summary>
    /// Deviation from dpkg: dpkg-query refuses a whole database with one bad record (vcpkg's feature
    /// stanzas have no Version; syft's fixture starts with an empty "Package:"). We keep the good records
    /// and record the bad ones as unknowns; ground truth is then awk: installed stanzas with a name and a
    /// version, first per name:arch.
    /// </summary>
    [Theory]
    [InlineData("claircore/dpkg/testdata/vcpkg.status")]
    [InlineData("syft/syft/pkg/cataloger/debian/testdata/image-dpkg/var/lib/dpkg/status")]
    public void Should_keep_the_good_records_of_a_database_dpkg_query_refuses(string relative)
    {
        using var tree = PackageScan.Tree(("var/lib/dpkg/status", File.ReadAllText(Repo.CorpusFile(relative))));
        var status = Path.Combine(tree.Path, "var/lib/dpkg/status");
        Assert.NotEqual(0, Tool.Run("dpkg-query", "--admindir=" + Path.GetDirectoryName(status), "-W").ExitCode);
        const string awk = "BEGIN{RS=\"\";FS=\"\\n\"}{p=\"\";v=\"\";a=\"\";s=\"\";for(i=1;i<=NF;i++){if($i~/^Package: /)p=substr($i,10);if($i~/^Version: /)v=substr($i,10);if($i~/^Architecture: /)a=substr($i,15);if($i~/^Status: /)s=$i} if(p!=\"\" && v!=\"\" && s~/ installed$/ && !seen[p\":\"a]++)print p\"\\t\"v\"\\t\"a}";
        var expected = PackageScan.Lines(Tool.Output("awk", awk, status));

        var result = PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, PackageScan.Triples(result.Packages));
        Assert.NotEmpty(result.Unknowns);
    }

    [Theory]
    [InlineData("syft/syft/pkg/cataloger/debian/testdata/image-distroless-deb")]
    [InlineData("syft/cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs")]
    public void Should_read_distroless_status_d_like_awk(string relative)
    {
        var root = Repo.CorpusFile(relative);
        var statusD = Path.Combine(root, "var/lib/dpkg/status.d");
        var stanzaFiles = Directory.GetFiles(statusD).Where(f => !Path.GetFileName(f).Contains(".md5sums", StringComparison.Ordinal) && !Path.GetFileName(f).Contains(".pre", StringComparison.Ordinal) && !Path.GetFileName(f).Contains(".post", StringComparison.Ordinal));
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in stanzaFiles)
        {
            expected.UnionWith(PackageScan.Lines(Tool.Output("awk", AwkStanzas, f)));
        }

        var result = PackageScan.Run(root, new DpkgDatabaseAnalyzer()).Result();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, PackageScan.Triples(result.Packages.Where(p => p.Evidence.Path.Contains("/status.d/", StringComparison.Ordinal))));
    }

    [Fact]
    public void Should_take_distroless_file_lists_from_md5sums()
    {
        var root = Repo.CorpusFile("syft/syft/pkg/cataloger/debian/testdata/image-distroless-deb");
        var sqlite = PackageScan.Run(root, new DpkgDatabaseAnalyzer()).Result().Packages.Single(p => p.Name == "libsqlite3-0");
        var expected = PackageScan.Lines(Tool.Output("awk", "{print $2}", Path.Combine(root, "var/lib/dpkg/status.d/libsqlite3-0.md5sums")));
        Assert.Equal(expected, new SortedSet<string>(sqlite.Files, StringComparer.Ordinal));
        Assert.Equal("/var/lib/dpkg/status.d/libsqlite3-0", sqlite.Evidence.Path);
    }

    [Theory]
    [InlineData("var/lib/dpkg/status", 1)]
    [InlineData("var/lib/dpkg/status-old", 0)]
    [InlineData("var/lib/dpkg/status.bak", 0)]
    [InlineData("var/lib/dpkg/available", 0)]
    [InlineData("var/backups/dpkg.status.0", 0)]
    [InlineData("usr/var/lib/dpkg/status", 0)]
    [InlineData("var/lib/dpkg/status.d/base", 1)]
    [InlineData("var/lib/dpkg/status.d/base.md5sums", 0)]
    [InlineData("var/lib/dpkg/status.d/sub/base", 0)]
    [InlineData("var/lib/dpkg/info/base.list", 0)]
    public void Should_select_only_status_databases(string path, int expected)
    {
        using var tree = PackageScan.Tree((path, "Package: base\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n"));
        Assert.Equal(expected, PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result().Packages.Count);
    }

    [Fact]
    public void Should_count_installed_packages_as_dpkg_query_states_them()
    {
        const string status = "Package: gone\nStatus: purge ok not-installed\nArchitecture: amd64\n\n"
            + "Package: confonly\nStatus: deinstall ok config-files\nVersion: 1.0\nArchitecture: amd64\n\n"
            + "Package: half\nStatus: install reinstreq half-installed\nVersion: 2.0\nArchitecture: amd64\n\n"
            + "Package: ok\nStatus: install ok installed\nVersion: 1:2.3+dfsg-1\nArchitecture: amd64\nSource: oksrc (2.3-0)\nInstalled-Size: 3\nDepends: libc6 (>= 2.34), zlib1g | zlib\nDescription: x\n multi\n .\n line\n";
        using var tree = PackageScan.Tree(("var/lib/dpkg/status", status));
        var result = PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result();

        AssertSameAsDpkgQuery(Path.Combine(tree.Path, "var/lib/dpkg"), result.Packages);

        // Deliberate deviation: dpkg-query -W lists a config-files ("rc") package; its files are gone, so we do not.
        Assert.Contains("confonly\t1.0", Tool.Output("dpkg-query", "--admindir=" + Path.Combine(tree.Path, "var/lib/dpkg"), "-W"), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Packages, p => p.Name is "confonly" or "gone");
        var ok = result.Packages.Single(p => p.Name == "ok");
        Assert.Equal("oksrc", ok.Source);
        Assert.Equal(3072, ok.InstalledSizeBytes);
        Assert.Equal(["libc6 (>= 2.34)", "zlib1g | zlib"], ok.Depends);
        Assert.Equal("pkg:deb/debian/ok@2.3%2Bdfsg-1?arch=amd64&epoch=1", ok.Purl);
    }

    [Fact]
    public void Should_record_garbage_and_truncation_as_unknowns_and_go_on()
    {
        const string status = "Package: a\nStatus: install ok installed\nVersion: 1\n\n garbage continuation\nnot a field line\nPackage: b\nStatus: install ok installed\nVersion: 2\nInstalled-Size: 99999999999999999999\n\nPackage: c\nStatus: half\n\nPackage: d\nStatus: install ok installed\nVers";
        var (packages, unknowns) = ParseDpkgStatus.Parse("/var/lib/dpkg/status", 0, status, statusRequired: true);
        Assert.Equal(["a", "b"], packages.Select(p => p.Name));
        Assert.Null(packages[1].InstalledSizeBytes);
        Assert.Contains(unknowns, u => u.Line == 5);
        Assert.Contains(unknowns, u => u.Line == 6);
        Assert.Contains(unknowns, u => u.Line == 12 && u.Reason.Contains("Status", StringComparison.Ordinal));
        Assert.Contains(unknowns, u => u.Line == 17);
        Assert.Contains(unknowns, u => u.Line == 15 && u.Reason.Contains("without Package or Version", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_report_duplicates_and_keep_multiarch_pairs()
    {
        const string status = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n\n"
            + "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: i386\n\n"
            + "Package: libc6\nStatus: install ok installed\nVersion: 2.36-8\nArchitecture: amd64\n";
        using var tree = PackageScan.Tree(("var/lib/dpkg/status", status), ("var/lib/dpkg/info/libc6:i386.list", "/.\n/lib/i386-linux-gnu/libc.so.6\n"), ("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib/x86_64-linux-gnu/libc.so.6\n"));
        var result = PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result();
        Assert.Equal(["2.36-9 amd64", "2.36-9 i386"], result.Packages.Select(p => $"{p.Version} {p.Architecture}"));
        Assert.Equal(["lib/x86_64-linux-gnu/libc.so.6"], result.Packages[0].Files);
        Assert.Equal(["lib/i386-linux-gnu/libc.so.6"], result.Packages[1].Files);
        Assert.Equal(11, Assert.Single(result.Unknowns).Line);
    }

    [Fact]
    public void Should_read_only_a_bounded_head_of_an_oversized_database()
    {
        var sb = new System.Text.StringBuilder();
        var count = 0;
        while (sb.Length <= Footprint.Analyzers.Packages.DatabaseText.MaxDatabaseBytes + 100_000)
        {
            sb.Append("Package: p").Append(count++).Append("\nStatus: install ok installed\nVersion: 1.0-").Append(count).Append("\nArchitecture: amd64\n\n");
        }

        using var tree = PackageScan.Tree(("var/lib/dpkg/status", sb.ToString()));
        var result = PackageScan.Run(tree.Path, new DpkgDatabaseAnalyzer()).Result();

        Assert.InRange(result.Packages.Count, count / 2, count - 1);
        Assert.Contains(result.Unknowns, u => u.Reason.Contains("only the head", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_not_throw_on_binary_garbage()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            _ = ParseDpkgStatus.Parse("/var/lib/dpkg/status", 0, "Package: x\nStatus: install ok installed\n" + System.Text.Encoding.UTF8.GetString(bytes), statusRequired: true);
        }
    }

    /// <summary>Our packages equal dpkg-query -W's, filtered to states whose files are on disk (config-files and not-installed are not).</summary>
    private static void AssertSameAsDpkgQuery(string admindir, IEnumerable<Footprint.Analyzers.Packages.Package> packages)
    {
        var rows = PackageScan.Lines(Tool.Output("dpkg-query", "--admindir=" + admindir, "-W", "-f", QueryFormat));
        var expected = new SortedSet<string>(rows.Select(r => r.Split('\t')).Where(r => InstalledStates.Contains(r[3])).Select(r => $"{r[0]}\t{r[1]}\t{r[2]}"), StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, PackageScan.Triples(packages));
    }
}
