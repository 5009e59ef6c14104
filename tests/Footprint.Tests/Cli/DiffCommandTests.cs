using System.Text.Json;
using Footprint.Tests.TestSupport;
using Json.Schema;

namespace Footprint.Tests.Cli;

/// <summary>
/// `footprint diff OLD NEW` as a user runs it, checked against ground truth the test computes on its own: the two
/// package databases parsed with awk, the two file listings from GNU tar or unsquashfs, content hashes from sha256sum
/// of the extracted trees, version order from `sort -V` (apk) or `dpkg --compare-versions` (opkg).
/// </summary>
public sealed class DiffCommandTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("3.19.4", "3.20.3")]
    [InlineData("3.16.9", "3.17.10")]
    public void Should_match_both_apk_databases_and_tar_listings(string from, string to)
    {
        var old = Repo.CorpusFile($"alpine/alpine-minirootfs-{from}-x86_64.tar.gz");
        var @new = Repo.CorpusFile($"alpine/alpine-minirootfs-{to}-x86_64.tar.gz");
        using var doc = Diff(old, @new);
        var root = doc.RootElement;

        var before = ApkDatabase(old);
        var after = ApkDatabase(@new);
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in before.Keys.Union(after.Keys))
        {
            var o = before.GetValueOrDefault(name);
            var n = after.GetValueOrDefault(name);
            if (o.Version == n.Version)
            {
                continue;
            }

            var change = o.Version is null ? "added" : n.Version is null ? "removed" : SortsFirst(o.Version, n.Version) ? "upgraded" : "downgraded";
            expected.Add($"{name} {change} {o.Version ?? "-"} {n.Version ?? "-"} {n.Bytes - o.Bytes}");
        }

        var actual = root.GetProperty("packages").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("change").GetString()} "
            + $"{Str(p, "oldVersion")} {Str(p, "newVersion")} {p.GetProperty("deltaBytes").GetInt64()}").ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, new SortedSet<string>(actual, StringComparer.Ordinal));
        Assert.Equal(before.Keys.Intersect(after.Keys).Count(k => before[k].Version == after[k].Version), root.GetProperty("packageTotals").GetProperty("unchanged").GetInt32());

        var expectedFiles = FileChanges(TarFiles(old, _dir.File("old")), TarFiles(@new, _dir.File("new")));
        AssertFiles(expectedFiles, root);
        Assert.False(root.TryGetProperty("layers", out _), "a rootfs tarball has no image layers to compare");
    }

    [Fact]
    public void Should_show_the_second_debian_layer_as_the_change_from_its_base()
    {
        var debian = Repo.Fixture("debian");
        var layer2 = Path.Combine(debian, "two.layer2.tar");
        using var doc = Diff("oci:" + Path.Combine(debian, "oci") + ":minbase", "oci:" + Path.Combine(debian, "oci") + ":two");
        var root = doc.RootElement;

        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(["shared", "added"], layers.Select(l => l.GetProperty("status").GetString()));
        var layerDigest = "sha256:" + Tool.Shell($"sha256sum '{layer2}'").Split(' ')[0];
        Assert.Equal(layerDigest, layers[1].GetProperty("diffId").GetString());

        // The base's files, and the second layer's own entries from GNU tar: regular files, hard links, whiteouts.
        var baseFiles = HashedTree(Path.Combine(debian, "minbase.unpacked", "rootfs"));
        var extracted = _dir.File("layer2");
        Directory.CreateDirectory(extracted);
        Tool.Output("tar", "-xf", layer2, "-C", extracted);
        var layerFiles = HashedTree(extracted);
        var listing = Tool.Output("tar", "-tvf", layer2).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Type: l[0], Path: "/" + l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5])).ToList();
        var whiteouts = listing.Where(e => Path.GetFileName(e.Path).StartsWith(".wh.", StringComparison.Ordinal)).ToList();
        var opaque = whiteouts.Where(w => Path.GetFileName(w.Path) == ".wh..wh..opq").Select(w => Path.GetDirectoryName(w.Path)!).ToList();
        var deleted = whiteouts.Where(w => Path.GetFileName(w.Path) != ".wh..wh..opq")
            .Select(w => Path.GetDirectoryName(w.Path)! + "/" + Path.GetFileName(w.Path)[4..]).ToList();
        var written = listing.Where(e => e.Type is '-' or 'h' && !whiteouts.Contains(e)).Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(listing, e => e.Type == 'h');

        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in written)
        {
            var (size, hash) = layerFiles[path];
            if (!baseFiles.TryGetValue(path, out var b))
            {
                expected.Add($"added {path} - {size}");
            }
            else if (b.Hash != hash)
            {
                expected.Add($"changed {path} {b.Size} {size}");
            }
        }

        foreach (var (path, (size, _)) in baseFiles)
        {
            var gone = deleted.Any(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal)) || opaque.Any(d => path.StartsWith(d + "/", StringComparison.Ordinal));
            if (gone && !written.Contains(path))
            {
                expected.Add($"removed {path} {size} -");
            }
        }

        Assert.Contains(expected, e => e.StartsWith("removed ", StringComparison.Ordinal));
        AssertFiles(expected, root);

        // The added layer's own figures: the bytes it writes are the regular files of its tar (hard links once).
        var regularBytes = Tool.Output("tar", "-tvf", layer2).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l[0] == '-' && !l.Contains("/.wh.", StringComparison.Ordinal)).Sum(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(regularBytes, layers[1].GetProperty("addedBytes").GetInt64() + layers[1].GetProperty("modifiedBytes").GetInt64());
        Assert.Equal(expected.Count(e => e.StartsWith("removed ", StringComparison.Ordinal)), layers[1].GetProperty("removedFiles").GetInt64());
        Assert.Equal(0, root.GetProperty("packages").GetArrayLength());
    }

    [Fact]
    public void Should_match_the_opkg_status_and_squashfs_listings_of_two_openwrt_releases()
    {
        var old = Directory.GetFiles(Repo.CorpusFile("firmware/openwrt/wr841n-v9"), "*.bin").Single();
        var @new = Directory.GetFiles(Repo.CorpusFile("firmware/openwrt/wr841n-v9-cc-krack"), "*.bin").Single();
        using var doc = Diff(old, @new);
        var root = doc.RootElement;

        var oldTree = Unsquash(old, _dir.File("old"));
        var newTree = Unsquash(@new, _dir.File("new"));
        var before = OpkgDatabase(_dir.File("old"));
        var after = OpkgDatabase(_dir.File("new"));
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in before.Keys.Union(after.Keys))
        {
            var o = before.GetValueOrDefault(name);
            var n = after.GetValueOrDefault(name);
            if (o.Version == n.Version)
            {
                continue;
            }

            var change = o.Version is null ? "added" : n.Version is null ? "removed"
                : Tool.Run("dpkg", "--compare-versions", n.Version, "gt", o.Version).ExitCode == 0 ? "upgraded" : "downgraded";
            expected.Add($"{name} {change} {o.Version ?? "-"} {n.Version ?? "-"} {n.Bytes - o.Bytes}");
        }

        var actual = root.GetProperty("packages").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("change").GetString()} "
            + $"{Str(p, "oldVersion")} {Str(p, "newVersion")} {p.GetProperty("deltaBytes").GetInt64()}").ToHashSet();
        Assert.Contains(expected, e => e.Contains(" added ", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.Contains(" upgraded ", StringComparison.Ordinal));
        Assert.Empty(expected.Except(actual));
        Assert.Empty(actual.Except(expected));
        // LuCI's "git-15.079..." is no valid dpkg-style version (it starts with a letter): ordered as opkg orders it, and said so.
        Assert.Contains(root.GetProperty("packages").EnumerateArray(), p => p.GetProperty("name").GetString() == "luci"
            && p.GetProperty("change").GetString() == "upgraded" && p.GetProperty("versionProblem").GetString()!.StartsWith("git-15.079", StringComparison.Ordinal));

        AssertFiles(FileChanges(oldTree, newTree), root);
    }

    [Fact]
    public void Should_list_the_findings_fixed_and_introduced_as_vulns_finds_them_on_each_side()
    {
        var db = _dir.File("alpine.db");
        var (code, _, stderr) = Tool.Run("dotnet", [Cli, "db", "import", "--db", db, .. new[] { "v3.6", "v3.7", "v3.8" }.Select(b => Repo.CorpusFile($"vulndata/alpine-secdb/{b}"))]);
        Assert.True(code == 0, stderr);
        var rootfs = new[] { "3.6.5", "3.7.3", "3.8.5" }.Select(v => Repo.CorpusFile($"alpine/alpine-minirootfs-{v}-x86_64.tar.gz")).ToList();
        var findings = rootfs.Select(r => Findings(db, r)).ToList();
        Assert.NotEmpty(findings[1]);
        for (var i = 0; i < 2; i++)
        {
            (code, var stdout, stderr) = Tool.Run("dotnet", Cli, "diff", "-q", "--no-cache", "-f", "json", "--db", db, rootfs[i], rootfs[i + 1]);
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var expected = findings[i + 1].Except(findings[i]).Select(f => "introduced " + f).Concat(findings[i].Except(findings[i + 1]).Select(f => "fixed " + f)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, doc.RootElement.GetProperty("vulnerabilities").EnumerateArray()
                .Select(f => $"{f.GetProperty("change").GetString()} {f.GetProperty("id").GetString()} {f.GetProperty("package").GetString()}").Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Should_write_a_table_with_every_artifact_string_escaped()
    {
        var hostile = _dir.File("hostile.tar");
        HostileRootfs.Write(hostile);
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "diff", "-q", "--no-cache", "--files", alpine, hostile);
        Assert.True(code == 0, stderr);
        TerminalSafetyTests.AssertNoRawControls(stdout);
        foreach (var name in HostileRootfs.Escaped)
        {
            Assert.Contains(name, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("added", stdout, StringComparison.Ordinal);
        Assert.Contains("removed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_naming_the_artifact_that_cannot_be_read()
    {
        var bad = _dir.File("not-an-artifact.bin");
        File.WriteAllBytes(bad, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        foreach (var args in new[] { new[] { alpine, bad }, [bad, alpine] })
        {
            var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, "diff", "-q", "--no-cache", .. args]);
            Assert.Equal(2, code);
            Assert.Empty(stdout);
            Assert.Contains(bad, stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Trim().Split('\n'));
        }
    }

    /// <summary>`vulns -f json` of one artifact: "id package" of every finding.</summary>
    private static List<string> Findings(string db, string artifact)
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "vulns", "-q", "--no-cache", "-f", "json", "--db", db, artifact);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var v = doc.RootElement.GetProperty("artifacts")[0].GetProperty("vulnerabilities");
        Assert.True(v.GetProperty("covered").GetBoolean());
        return v.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("id").GetString()} {f.GetProperty("package").GetString()}").ToList();
    }

    private JsonDocument Diff(string old, string @new)
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "diff", "-q", "--no-cache", "-f", "json", old, @new);
        Assert.True(code == 0, stderr);
        var errors = Schemas.Diff.Evaluate(JsonDocument.Parse(stdout).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(errors.IsValid, string.Join("\n", (errors.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        return JsonDocument.Parse(stdout);
    }

    /// <summary>The files part of a diff equals <paramref name="expected"/> ("change path oldBytes newBytes"), and the totals add up.</summary>
    private static void AssertFiles(SortedSet<string> expected, JsonElement root)
    {
        var actual = root.GetProperty("files").EnumerateArray().Select(f => $"{f.GetProperty("change").GetString()} {f.GetProperty("path").GetString()} "
            + $"{Num(f, "oldBytes")} {Num(f, "newBytes")}").ToList();
        Assert.Equal(expected, new SortedSet<string>(actual, StringComparer.Ordinal));
        Assert.Equal(expected.Count, actual.Count);
        var totals = root.GetProperty("fileTotals");
        long Bytes(string change, int field) => expected.Where(e => e.StartsWith(change + " ", StringComparison.Ordinal))
            .Sum(e => e.Split(' ')[field] is var v && v != "-" ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 0);
        Assert.Equal(Bytes("added", 3), totals.GetProperty("addedBytes").GetInt64());
        Assert.Equal(Bytes("removed", 2), totals.GetProperty("removedBytes").GetInt64());
        Assert.Equal(Bytes("changed", 3) - Bytes("changed", 2), totals.GetProperty("changedDeltaBytes").GetInt64());
    }

    /// <summary>Files only in one tree, or in both with another SHA-256, as "change path oldBytes newBytes".</summary>
    private static SortedSet<string> FileChanges(Dictionary<string, (long Size, string Hash)> before, Dictionary<string, (long Size, string Hash)> after)
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in before.Keys.Union(after.Keys))
        {
            var inOld = before.TryGetValue(path, out var o);
            var inNew = after.TryGetValue(path, out var n);
            if (!inOld)
            {
                expected.Add($"added {path} - {n.Size}");
            }
            else if (!inNew)
            {
                expected.Add($"removed {path} {o.Size} -");
            }
            else if (o.Hash != n.Hash)
            {
                expected.Add($"changed {path} {o.Size} {n.Size}");
            }
        }

        return expected;
    }

    /// <summary>Regular files of a rootfs tarball: paths and sizes from `tar -tvzf`, content hashes from sha256sum of an extraction.</summary>
    private static Dictionary<string, (long Size, string Hash)> TarFiles(string tarball, string into)
    {
        var sizes = Tool.Output("tar", "-tvzf", tarball).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l[0] == '-')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => "/" + f[5].TrimStart('.', '/'), f => long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Directory.CreateDirectory(into);
        Tool.Output("tar", "-xzf", tarball, "-C", into);
        var hashes = HashedTree(into);
        Assert.Equal(sizes.Keys.Order(StringComparer.Ordinal), hashes.Keys.Order(StringComparer.Ordinal));
        return sizes.ToDictionary(kv => kv.Key, kv => (kv.Value, hashes[kv.Key].Hash), StringComparer.Ordinal);
    }

    /// <summary>Regular files of a firmware's squashfs: paths and sizes from `unsquashfs -lls`, hashes from its extraction.</summary>
    private static Dictionary<string, (long Size, string Hash)> Unsquash(string firmware, string into)
    {
        var offset = Tool.Shell($"grep -obUaP 'hsqs' '{firmware}' | head -1 | cut -d: -f1").Trim();
        var sizes = Tool.Output("unsquashfs", "-o", offset, "-lls", firmware).Split('\n').Where(l => l.StartsWith('-'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[5]["squashfs-root".Length..], f => long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Tool.Output("unsquashfs", "-q", "-n", "-o", offset, "-d", into, firmware);
        var hashes = HashedTree(into);
        Assert.Equal(sizes.Keys.Order(StringComparer.Ordinal), hashes.Keys.Order(StringComparer.Ordinal));
        return sizes.ToDictionary(kv => kv.Key, kv => (kv.Value, hashes[kv.Key].Hash), StringComparer.Ordinal);
    }

    /// <summary>Every regular file under <paramref name="dir"/> ("/path" -> size and sha256sum).</summary>
    private static Dictionary<string, (long Size, string Hash)> HashedTree(string dir)
    {
        var result = new Dictionary<string, (long Size, string Hash)>(StringComparer.Ordinal);
        var sizes = Tool.Shell($"cd '{dir}' && find . -type f -printf '%s\\t%P\\n'").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2)).ToDictionary(p => "/" + p[1], p => long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        foreach (var line in Tool.Shell($"cd '{dir}' && find . -type f -print0 | xargs -0 -r sha256sum").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = "/" + line[66..].TrimStart('.', '/');
            result[path] = (sizes[path], line[..64]);
        }

        return result;
    }

    /// <summary>lib/apk/db/installed parsed with awk: name -> version and installed size (I:).</summary>
    private static Dictionary<string, (string? Version, long Bytes)> ApkDatabase(string tarball)
        => Tool.Shell($"tar -xzOf '{tarball}' --wildcards '*lib/apk/db/installed' | awk -F: "
                + "'/^P:/{p=substr($0,3)} /^V:/{v=substr($0,3)} /^I:/{i=substr($0,3)} /^$/{if(p!=\"\")print p\"\\t\"v\"\\t\"i; p=\"\"} END{if(p!=\"\")print p\"\\t\"v\"\\t\"i}'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => ((string?)f[1], long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)), StringComparer.Ordinal);

    /// <summary>usr/lib/opkg/status (Package, Version) with each package's Installed-Size from its info/NAME.control, with awk.</summary>
    private static Dictionary<string, (string? Version, long Bytes)> OpkgDatabase(string root)
    {
        var sizes = Tool.Shell($"awk -F': ' '/^Package:/{{p=$2}} /^Installed-Size:/{{print p\"\\t\"$2}}' '{root}'/usr/lib/opkg/info/*.control")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return Tool.Shell($"awk -F': ' '/^Package:/{{p=$2}} /^Version:/{{print p\"\\t\"$2}}' '{root}/usr/lib/opkg/status'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => ((string?)f[1], sizes.GetValueOrDefault(f[0])), StringComparer.Ordinal);
    }

    /// <summary>True when GNU `sort -V` puts <paramref name="a"/> before <paramref name="b"/>.</summary>
    private static bool SortsFirst(string a, string b) => Tool.Shell($"printf '%s\\n%s\\n' '{b}' '{a}' | sort -V | head -1").Trim() == a;

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString()! : "-";

    private static string Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
}
