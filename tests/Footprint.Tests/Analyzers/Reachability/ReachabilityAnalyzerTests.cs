using Footprint.Analyzers.Packages;
using Footprint.Analyzers.Packages.Apk;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Analyzers.Reachability;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Tests.TestSupport;
using Footprint.Walk;

namespace Footprint.Tests.Analyzers.Reachability;

/// <summary>
/// Acceptance on real artifacts: Alpine 3.10.9's minirootfs (apk, libssl, libcrypto, zlib, musl, busybox) and the
/// Debian bookworm minbase image of the fixtures, whose Cmd is bash. Closures are checked against an independent
/// readelf walk of the extracted files, package ownership against awk over apk's database and dpkg-query -S.
/// </summary>
public sealed class ReachabilityAnalyzerTests
{
    private const string Alpine310 = "alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz";

    private sealed record Scan(ReachabilityAnalyzer Analyzer, LayeredFileSystem View, IReadOnlyList<Package> Packages, ImageConfig? Config)
    {
        public EntrypointReachability For(string command)
            => Analyzer.Result(View, Packages, Config, null, [new Entrypoint("explicit", command, [], "test")]).Entrypoints.Single();
    }

    private static Scan Run(string reference, bool dpkg = false)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, null, warnings);
        var reach = new ReachabilityAnalyzer();
        IAnalyzer packages = dpkg ? new DpkgDatabaseAnalyzer() : new ApkDatabaseAnalyzer();
        var fs = new ArtifactLoader([reach, packages], new LayerReadOptions()).Load(source, warnings);
        Walker.Run(fs, [reach, packages]);
        var inventory = packages is DpkgDatabaseAnalyzer d ? d.Result() : ((ApkDatabaseAnalyzer)packages).Result();
        return new Scan(reach, fs, inventory.Packages, source.Config);
    }

    private static Scan? _alpine;

    private static Scan Alpine => _alpine ??= Run(Repo.CorpusFile(Alpine310));

    private static SortedSet<string> Names(EntrypointReachability r, ReachabilityClass c)
        => new(r.Packages.Where(p => p.Class == c).Select(p => p.Name), StringComparer.Ordinal);

    private static PackageReachability Package(EntrypointReachability r, string name) => r.Packages.Single(p => p.Name == name);

    [Fact]
    public void Should_load_apk_tools_libssl_libcrypto_zlib_and_musl_from_sbin_apk()
    {
        var apk = Alpine.For("/sbin/apk");
        Assert.Equal(["apk-tools", "libcrypto1.1", "libssl1.1", "musl", "zlib"], Names(apk, ReachabilityClass.Loaded));
        Assert.Equal("/sbin/apk", apk.Program);

        // Independent: readelf's NEEDED names, resolved in musl's default directories of the extracted tree, owned per
        // the R: lines of lib/apk/db/installed.
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", Repo.CorpusFile(Alpine310), "-C", dir.Path);
        var closure = ReadelfClosure.Compute(dir.Path, "/sbin/apk", ["/lib", "/usr/local/lib", "/usr/lib"]);
        Assert.Equal(closure.OrderBy(p => p, StringComparer.Ordinal), apk.Closure.OrderBy(p => p, StringComparer.Ordinal));
        var owners = ApkOwners(dir.Path);
        Assert.Equal(new SortedSet<string>(closure.Select(p => owners[p]), StringComparer.Ordinal), Names(apk, ReachabilityClass.Loaded));

        var zlib = Package(apk, "zlib").Evidence.Single();
        Assert.StartsWith("/sbin/apk -> ", zlib, StringComparison.Ordinal);
        Assert.Contains("libz.so.1", zlib, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_make_busybox_unknown_because_apk_spawns_processes()
    {
        var apk = Alpine.For("/sbin/apk");
        var busybox = Package(apk, "busybox");
        Assert.Equal(ReachabilityClass.Unknown, busybox.Class);
        Assert.Contains(busybox.Evidence, e => e.StartsWith("/sbin/apk imports execve, execvp", StringComparison.Ordinal));
        Assert.Contains("/sbin/apk imports execve, execvp: it can start other programs", apk.Unknowns);
        Assert.DoesNotContain(apk.Packages, p => p.Class == ReachabilityClass.PresentNotLoaded && p.Name == "busybox");
    }

    [Fact]
    public void Should_leave_apk_tools_present_not_loaded_from_ssl_client()
    {
        var ssl = Alpine.For("/usr/bin/ssl_client");
        Assert.Equal(ReachabilityClass.PresentNotLoaded, Package(ssl, "apk-tools").Class);
        // readelf -d usr/bin/ssl_client: NEEDED libtls-standalone.so.1 and libc.musl-x86_64.so.1; libtls pulls libssl and libcrypto.
        Assert.Equal(["libcrypto1.1", "libssl1.1", "libtls-standalone", "musl", "ssl_client"], Names(ssl, ReachabilityClass.Loaded));
        Assert.Empty(ssl.Unknowns);
        Assert.Equal(ReachabilityClass.PresentNotLoaded, Package(ssl, "busybox").Class);
    }

    [Fact]
    public void Should_make_everything_unknown_from_bin_sh()
    {
        var sh = Alpine.For("/bin/sh");
        Assert.Equal("/bin/busybox", sh.Program);
        Assert.Contains(sh.Unknowns, u => u.StartsWith("/bin/sh is a shell or interpreter (sh)", StringComparison.Ordinal));
        // What sh itself maps is loaded; every other package that ships code is unknown; none is called not loaded
        // unless it ships no code at all (checked by listing its files' ELF or #! heads independently).
        Assert.Equal(["busybox", "musl"], Names(sh, ReachabilityClass.Loaded));
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", Repo.CorpusFile(Alpine310), "-C", dir.Path);
        foreach (var p in sh.Packages.Where(p => p.Class == ReachabilityClass.PresentNotLoaded))
        {
            var files = Alpine.Packages.Single(q => q.Name == p.Name).Files;
            Assert.DoesNotContain(files, f => ShipsCode(Path.Combine(dir.Path, f)));
        }

        Assert.All(sh.Packages.Where(p => p.Class == ReachabilityClass.Unknown), p => Assert.Contains(p.Evidence, e => e.Contains("shell or interpreter", StringComparison.Ordinal)));
        Assert.Contains(sh.Packages, p => p.Class == ReachabilityClass.Unknown && p.Name == "apk-tools");
    }

    [Fact]
    public void Should_look_the_config_entrypoint_up_in_path_and_honour_ld_preload()
    {
        var config = new ImageConfig { Entrypoint = ["ssl_client"], Cmd = ["-h"], Env = ["PATH=/usr/local/bin:/usr/bin", "LD_PRELOAD=libz.so.1 /lib/missing.so"] };
        var report = Alpine.Analyzer.Result(Alpine.View, Alpine.Packages, config, null);
        var ssl = report.Entrypoints.Single();
        Assert.Equal(("image-config", "ssl_client", "/usr/bin/ssl_client"), (ssl.Entrypoint.Kind, ssl.Entrypoint.Command, ssl.Program));
        Assert.Equal(["-h"], ssl.Entrypoint.Arguments);
        // LD_PRELOAD is searched like the program's own DT_NEEDED (musl: LD_LIBRARY_PATH, RPATH, then /lib...).
        Assert.Equal(ReachabilityClass.Loaded, Package(ssl, "zlib").Class);
        Assert.Equal("/usr/bin/ssl_client -> /lib/libz.so.1 (= /lib/libz.so.1.2.11)", Package(ssl, "zlib").Evidence.Single());
        // A preload that is not there: the loader skips it (glibc with a message); the model still reports it as missing,
        // which is the conservative side: the rest becomes unknown.
        Assert.Contains(ssl.Unknowns, u => u.StartsWith("library-missing: /lib/missing.so", StringComparison.Ordinal));
        Assert.Equal(ReachabilityClass.Unknown, Package(ssl, "apk-tools").Class);
    }

    [Fact]
    public void Should_run_in_the_pipeline_only_when_asked()
    {
        var reference = Repo.CorpusFile(Alpine310);
        Assert.Null(MeasurePipeline.Run(reference, new MeasureOptions()).Get<ReachabilityReport>());

        var report = MeasurePipeline.Run(reference, new MeasureOptions { Reachability = true }).Get<ReachabilityReport>();
        Assert.NotNull(report);
        var init = report.Entrypoints.Single(e => e.Entrypoint.Kind == "init");
        Assert.Equal("/bin/busybox", init.Program);
        Assert.Equal(["busybox", "musl"], Names(init, ReachabilityClass.Loaded));
        Assert.Equal(Alpine.Packages.Count, init.Packages.Count);
    }

    [Fact]
    public void Should_find_the_system_entrypoints_of_a_rootfs_without_config()
    {
        var report = Alpine.Analyzer.Result(Alpine.View, Alpine.Packages, null, null);
        var init = report.Entrypoints.Single(e => e.Entrypoint.Kind == "init");
        Assert.Equal("/bin/busybox", init.Program);
        // etc/inittab: openrc is not in the minirootfs, getty is a busybox applet.
        var inittab = report.Entrypoints.Where(e => e.Entrypoint.Kind == "inittab").Select(e => e.Entrypoint.Command).ToList();
        Assert.Contains("/sbin/openrc", inittab);
        Assert.Contains("/sbin/getty", inittab);
        Assert.Null(report.Entrypoints.First(e => e.Entrypoint.Command == "/sbin/openrc").Program);
        Assert.All(report.Entrypoints.First(e => e.Entrypoint.Command == "/sbin/openrc").Packages, p => Assert.NotEqual(ReachabilityClass.Loaded, p.Class));
        Assert.NotEmpty(report.Limits);
    }

    [Fact]
    public void Should_load_what_readelf_resolves_for_the_debian_images_cmd()
    {
        var scan = Run("oci:" + Repo.Fixture("debian/oci") + ":minbase", dpkg: true);
        Assert.Equal(["bash"], scan.Config!.Cmd);
        var report = scan.Analyzer.Result(scan.View, scan.Packages, scan.Config, null);
        var bash = report.Entrypoints.Single();
        Assert.Equal("image-config", bash.Entrypoint.Kind);
        Assert.Equal("/usr/bin/bash", bash.Program);

        using var dir = new TempDir();
        Tool.Output("tar", "-xf", Repo.Fixture("debian/rootfs.tar"), "-C", dir.Path);
        var closure = ReadelfClosure.Compute(dir.Path, "/usr/bin/bash", ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"]);
        Assert.Equal(closure.OrderBy(p => p, StringComparer.Ordinal), bash.Closure.OrderBy(p => p, StringComparer.Ordinal));

        // Owners from dpkg itself, by file name (bookworm registers /lib paths, the files live under /usr/lib).
        var admin = Path.Combine(dir.Path, "var/lib/dpkg");
        var owners = closure.Select(p => Tool.Output("dpkg-query", "--admindir=" + admin, "-S", "*/" + Path.GetFileName(p)).Split('\n')[0].Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.True(new SortedSet<string>(owners, StringComparer.Ordinal).SetEquals(Names(bash, ReachabilityClass.Loaded)),
            string.Join("\n", bash.Packages.Where(p => p.Class == ReachabilityClass.Loaded).Select(p => p.Name + ": " + string.Join(" | ", p.Evidence))));
        Assert.Contains("libc6", owners);
        Assert.Contains("libtinfo6", owners);

        // bash is a shell: every other package with code is unknown, never present-not-loaded.
        Assert.Contains(bash.Unknowns, u => u.Contains("shell or interpreter (bash)", StringComparison.Ordinal));
        Assert.Equal(ReachabilityClass.Unknown, Package(bash, "coreutils").Class);
    }

    [Fact]
    public void Should_load_nginx_closure_and_say_why_everything_else_is_unknown_or_not_loaded()
    {
        var scan = Run("oci:" + Repo.Fixture("nginx/oci") + ":latest", dpkg: true);
        Assert.Equal(["nginx", "-g", "daemon off;"], scan.Config!.Cmd);
        var nginx = scan.Analyzer.Result(scan.View, scan.Packages, scan.Config, null).Entrypoints.Single();
        Assert.Equal("/usr/sbin/nginx", nginx.Program);

        using var dir = new TempDir();
        Tool.Output("tar", "-xf", Repo.Fixture("nginx/rootfs.tar"), "-C", dir.Path);
        var closure = ReadelfClosure.Compute(dir.Path, "/usr/sbin/nginx", ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"]);
        Assert.Equal(closure.OrderBy(p => p, StringComparer.Ordinal), nginx.Closure.OrderBy(p => p, StringComparer.Ordinal));

        // Loaded: exactly the owners, by dpkg itself, of the closure readelf computes (nginx, libc6, libssl3, zlib1g...).
        var admin = Path.Combine(dir.Path, "var/lib/dpkg");
        // The line for this very file (merged /usr: dpkg may register it under /lib), not a namesake (nginx-common's /etc/logrotate.d/nginx).
        string Owner(string real) => Tool.Output("dpkg-query", "--admindir=" + admin, "-S", "*/" + Path.GetFileName(real)).Split('\n')
            .Select(l => (Package: l.Split(':')[0], Path: l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            .First(o => o.Path == real || "/usr" + o.Path == real).Package;
        var owners = closure.Select(Owner).ToHashSet(StringComparer.Ordinal);
        Assert.True(new SortedSet<string>(owners, StringComparer.Ordinal).SetEquals(Names(nginx, ReachabilityClass.Loaded)),
            string.Join("\n", nginx.Packages.Where(p => p.Class == ReachabilityClass.Loaded).Select(p => p.Name + ": " + string.Join(" | ", p.Evidence))));
        Assert.Contains("libssl3", owners);
        Assert.Contains("zlib1g", owners);

        // Everything else: nginx is not a shell, but it imports execve (its binary upgrade re-executes itself) per
        // readelf, so packages with code are unknown with that reason; a package with no code is present-not-loaded.
        var undefined = Tool.Output("readelf", "-W", "--dyn-syms", dir.Path + "/usr/sbin/nginx").Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 8 && w[6] == "UND")
            .Select(w => w[7].Split('@')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("execve", undefined);
        Assert.DoesNotContain(nginx.Unknowns, u => u.Contains("shell or interpreter", StringComparison.Ordinal));
        Assert.Contains(nginx.Unknowns, u => u.StartsWith("/usr/sbin/nginx imports ", StringComparison.Ordinal) && u.Contains("execve", StringComparison.Ordinal));
        foreach (var p in nginx.Packages.Where(p => !owners.Contains(p.Name)))
        {
            var files = scan.Packages.Single(q => q.Name == p.Name).Files;
            var code = files.Any(f => ShipsCode(Path.Combine(dir.Path, f.TrimStart('/'))));
            Assert.True(code ? p.Class == ReachabilityClass.Unknown : p.Class == ReachabilityClass.PresentNotLoaded, $"{p.Name}: {p.Class}, ships code {code} ({string.Join(" | ", p.Evidence)}; {string.Join(",", files.Take(5))})");
        }

        Assert.Contains(nginx.Packages, p => p.Class == ReachabilityClass.PresentNotLoaded);
    }

    /// <summary>ELF magic or #! at the start of a regular file, or a module an interpreter loads (by extension: .pm .py .rb ...).</summary>
    private static bool ShipsCode(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            return false;
        }

        if (new[] { ".pm", ".pl", ".py", ".pyc", ".rb", ".lua", ".php", ".tcl", ".js", ".mjs", ".sh", ".bash", ".jar", ".class" }.Contains(Path.GetExtension(path)))
        {
            return true;
        }

        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        var n = f.Read(head);
        return (n >= 4 && head.SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F'])) || (n >= 2 && head[0] == '#' && head[1] == '!');
    }

    /// <summary>Real path of every file an apk record lists (F: directory + R: name), to its package, as awk reads the database.</summary>
    private static Dictionary<string, string> ApkOwners(string root)
    {
        var lines = Tool.Shell($"awk -F: '/^P:/{{p=substr($0,3)}} /^F:/{{d=substr($0,3)}} /^R:/{{print p\"\\t/\"d\"/\"substr($0,3)}}' '{root}/lib/apk/db/installed'");
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, path) = (line.Split('\t')[0], line.Split('\t')[1]);
            if (ReadelfClosure.Real(root, path) is { } real)
            {
                owners.TryAdd(real, name);
            }
        }

        return owners;
    }
}
