using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Loader;

/// <summary>
/// The loader model against the real loaders, run inside the extracted trees with bubblewrap: glibc's
/// <c>ld-linux-x86-64.so.2 --list</c> for every dynamic program of the Debian fixture, musl's
/// <c>ld-musl-x86_64.so.1 --list</c> for every one of the Alpine 3.20.3 minirootfs. Both sides are compared as
/// name -> path with symlinks resolved (<c>readlink -f</c> inside the tree).
/// </summary>
public sealed class LoaderGroundTruthTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_resolve_every_Debian_program_as_glibc_ld_so_does()
    {
        // The broken Debian image is the fixture plus two programs the loader refuses: one extraction covers both.
        var run = LintRun.Of(Repo.Fixture("broken/debian-broken.tar"));
        var root = Extract(Repo.Fixture("broken/debian-broken.tar"));
        var broken = new[] { "/usr/local/bin/needs-absent", "/usr/local/bin/needs-glibc-2.99" };
        var programs = run.Programs.Except(broken).ToList();
        Assert.True(programs.Count > 300, $"only {programs.Count} dynamic programs");

        var truth = List(root, "/lib64/ld-linux-x86-64.so.2", programs);
        foreach (var program in programs)
        {
            var mine = run.Closures[program].Closure.Where(o => !o.ViaLoader).ToDictionary(o => o.Name, o => o.RealPath, StringComparer.Ordinal);
            Assert.True(truth.TryGetValue(program, out var theirs), $"ld.so listed nothing for {program}");
            Assert.Equal(Sorted(theirs!), Sorted(mine));
            Assert.Empty(run.Closures[program].Problems);
        }

        // And the real loader refuses the two broken programs for the reasons the model gives.
        var (_, _, missing) = Bwrap(root, "/lib64/ld-linux-x86-64.so.2", "--list", "/usr/local/bin/needs-absent");
        Assert.Contains("libfootprint-absent.so.1", missing, StringComparison.Ordinal);
        var (_, _, version) = Bwrap(root, "/lib64/ld-linux-x86-64.so.2", "--list", "/usr/local/bin/needs-glibc-2.99");
        Assert.Contains("GLIBC_2.99' not found", version, StringComparison.Ordinal);
        Assert.Equal(["library-missing"], run.Closures["/usr/local/bin/needs-absent"].Problems.Select(p => p.Code));
        Assert.Equal(["symbol-version-missing"], run.Closures["/usr/local/bin/needs-glibc-2.99"].Problems.Select(p => p.Code));
    }

    [Fact]
    public void Should_resolve_every_Alpine_program_as_musl_ld_so_does()
    {
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var run = LintRun.Of(alpine);
        var root = Extract(alpine);
        var programs = run.Programs.ToList();
        Assert.NotEmpty(programs);
        var truth = List(root, "/lib/ld-musl-x86_64.so.1", programs);
        foreach (var program in programs)
        {
            var mine = run.Closures[program].Closure.ToDictionary(o => o.Name, o => o.RealPath, StringComparer.Ordinal);
            Assert.True(truth.TryGetValue(program, out var theirs), $"ld-musl listed nothing for {program}");
            Assert.Equal(Sorted(theirs!), Sorted(mine));
        }

        // The version the report gives (from apk's musl package) is the one the loader prints.
        var (_, _, banner) = Bwrap(root, "/lib/ld-musl-x86_64.so.1");
        var version = banner.Split('\n').First(l => l.StartsWith("Version ", StringComparison.Ordinal))["Version ".Length..].Trim();
        var report = Load.Measure(alpine).Lint!;
        Assert.Equal("musl", report.Libc!.Name);
        Assert.Equal(version, report.Libc.Version);
    }

    private string Extract(string tarball)
    {
        var root = Path.Combine(_dir.Path, Path.GetFileName(tarball) + ".root");
        Directory.CreateDirectory(root);
        Tool.Output("tar", "-xf", tarball, "-C", root);
        return root;
    }

    /// <summary>Runs LOADER --list on each program in one bwrap call; NAME => PATH lines, PATH through readlink -f.</summary>
    private static Dictionary<string, Dictionary<string, string>> List(string root, string loader, IReadOnlyList<string> programs)
    {
        File.WriteAllLines(Path.Combine(root, "footprint-programs"), programs);
        const string Script = """
            while read -r f; do
              echo "== $f"
              "$0" --list "$f" 2>/dev/null | while read -r name arrow path rest; do
                [ "$arrow" = "=>" ] && echo "$name $(readlink -f "$path")"
              done
            done < /footprint-programs
            exit 0
            """;
        var (code, stdout, stderr) = Bwrap(root, "/bin/sh", "-c", Script, loader);
        Assert.True(code == 0, stderr);
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
            {
                result[line[3..]] = current = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (current is not null)
            {
                var space = line.IndexOf(' ');
                current[line[..space]] = line[(space + 1)..];
            }
        }

        return result;
    }

    private static (int Code, string Stdout, string Stderr) Bwrap(string root, params string[] command)
        => Tool.Run("bwrap", ["--bind", root, "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--", .. command]);

    private static List<string> Sorted(Dictionary<string, string> map) => map.Select(kv => $"{kv.Key} => {kv.Value}").Order(StringComparer.Ordinal).ToList();
}
