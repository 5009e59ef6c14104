using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Analyzers.Hardening;
using Footprint.Tests.TestSupport;
using Xunit.Abstractions;

namespace Footprint.Tests.Analyzers.Hardening;

/// <summary>
/// ELF hardening verdicts against Debian's checksec (checksec.sh 2.6) run file by file on the extracted tree. checksec
/// takes about half a second per file, so its answers are cached under the temp directory, keyed by the sha256 of the
/// artifact and checksec's version; delete the cache to recompute them.
/// </summary>
public sealed class HardeningAnalyzerTests(ITestOutputHelper output)
{
    private static readonly string[] Flags = ["relro", "canary", "nx", "pie", "rpath", "runpath", "symbols", "fortify_source"];

    [Theory]
    [InlineData("fixture:debian/rootfs.tar", 99.0)]
    [InlineData("corpus:alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", 99.0)]
    public void Should_agree_with_checksec(string input, double minimumPercent)
    {
        var archive = input.StartsWith("fixture:", StringComparison.Ordinal) ? Repo.Fixture(input[8..]) : Repo.CorpusFile(input[7..]);
        var truth = Checksec(archive);
        var ours = Load.Measure(archive).Surface!.Hardening.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var disagreements = new List<string>();
        foreach (var (path, flags) in truth.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!ours.TryGetValue(path, out var f))
            {
                disagreements.Add($"{path}: not judged (checksec pie={flags["pie"]})");
                continue;
            }

            var mine = Ours(f);
            var differ = Flags.Where(k => !Same(k, mine[k], flags[k])).Select(k => $"{k} ours={mine[k]} checksec={flags[k]}").ToList();
            if (differ.Count > 0)
            {
                disagreements.Add($"{path}: {string.Join(", ", differ)}");
            }
        }

        var extra = ours.Keys.Where(p => !truth.ContainsKey(p)).ToList();
        disagreements.AddRange(extra.Select(p => $"{p}: judged by us, not an ELF file to checksec"));
        var agreed = truth.Count - disagreements.Count(d => !d.EndsWith("not an ELF file to checksec", StringComparison.Ordinal));
        var percent = 100.0 * agreed / truth.Count;
        output.WriteLine($"{input}: {agreed} of {truth.Count} ELF files agree on every flag ({percent:0.00}%); {disagreements.Count} disagreements:");
        foreach (var d in disagreements)
        {
            output.WriteLine("  " + d);
        }

        Assert.True(truth.Count > 10, "checksec judged almost nothing");
        Assert.True(percent >= minimumPercent && extra.Count == 0, $"{percent:0.00}% agreement; disagreements:\n{string.Join('\n', disagreements)}");
    }

    [Fact]
    public void Should_say_unknown_not_no_for_fortify_on_musl()
    {
        var files = Load.Measure(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")).Surface!.Hardening.Files;
        // busybox and musl's own loader have no _chk symbol: checksec says "no", musl's header-only fortify makes it unknown.
        Assert.Equal("unknown", Assert.Single(files, f => f.Path == "/bin/busybox").Fortify);
        Assert.Equal("unknown", Assert.Single(files, f => f.Path == "/lib/ld-musl-x86_64.so.1").Fortify);
        Assert.DoesNotContain(files, f => f.Fortify == "yes");
    }

    [Fact]
    public void Should_compute_coverage_from_the_files()
    {
        var hardening = Load.Measure(Repo.Fixture("debian/rootfs.tar")).Surface!.Hardening;
        var nx = Assert.Single(hardening.Coverage, c => c.Flag == "nx");
        Assert.True(nx.Applicable > 100);
        Assert.True(nx.Applicable <= hardening.Files.Count);
        var pie = Assert.Single(hardening.Coverage, c => c.Flag == "pie");
        Assert.True(pie.Applicable < nx.Applicable, "pie is judged on executables only");
        Assert.InRange(pie.Percent, 90, 100); // Debian builds its programs as PIE
    }

    /// <summary>Our verdicts in checksec's words.</summary>
    private static Dictionary<string, string> Ours(ElfHardeningReport f) => new(StringComparer.Ordinal)
    {
        ["relro"] = f.Relro == "none" ? "no" : f.Relro,
        ["canary"] = f.Canary,
        ["nx"] = f.Nx,
        ["pie"] = f.Pie,
        ["rpath"] = f.Rpath is null ? "no" : "yes",
        ["runpath"] = f.Runpath is null ? "no" : "yes",
        ["symbols"] = f.Symbols ? "yes" : "no",
        ["fortify_source"] = f.Fortify,
    };

    /// <summary>"unknown" is our documented answer where checksec can only say no (musl, static): see docs/surface.md.</summary>
    private static bool Same(string flag, string ours, string theirs)
        => ours == theirs || (flag == "fortify_source" && ours == "unknown" && theirs == "no");

    /// <summary>checksec --file for every ELF file (by magic) of the extracted tree; path -> flag -> value.</summary>
    private static Dictionary<string, Dictionary<string, string>> Checksec(string archive)
    {
        var version = Tool.Output("checksec", "--version").Split('\n')[0].Trim();
        string sha;
        using (var stream = File.OpenRead(archive))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var cacheDir = Path.Combine(Path.GetTempPath(), "footprint-checksec-cache");
        var cache = Path.Combine(cacheDir, $"{sha}-{version.Split(' ')[1].TrimEnd(',')}.jsonl");
        string root;
        string lines;
        if (File.Exists(cache))
        {
            var text = File.ReadAllText(cache);
            root = text[..text.IndexOf('\n', StringComparison.Ordinal)];
            lines = text[(root.Length + 1)..];
            return Parse(lines, root);
        }

        using var dir = new TempDir();
        root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(root);
        GroundTruth.Extract(archive, root);
        // find -type f: regular files only (opening a FIFO of the tree would block).
        var elves = Tool.Output("find", root, "-type", "f", "-size", "+51c").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(IsElf).Order(StringComparer.Ordinal).ToList();
        var answers = new string[elves.Count];
        Parallel.For(0, elves.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            i => answers[i] = Tool.Output("checksec", "--format=json", "--file=" + elves[i]).Trim());
        lines = string.Join('\n', answers);
        Directory.CreateDirectory(cacheDir);
        File.WriteAllText(cache, root + "\n" + lines);
        return Parse(lines, root);
    }

    private static Dictionary<string, Dictionary<string, string>> Parse(string lines, string root)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            foreach (var file in doc.RootElement.EnumerateObject())
            {
                var flags = file.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
                result["/" + Path.GetRelativePath(root, file.Name)] = flags;
            }
        }

        return result;
    }

    private static bool IsElf(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return f.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
