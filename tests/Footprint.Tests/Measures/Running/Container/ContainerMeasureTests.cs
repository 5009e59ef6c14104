using System.Diagnostics;
using System.Globalization;
using Footprint.Measures.Running.Container;
using Footprint.Sources;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running.Container;

/// <summary>
/// Container entrypoints run in the sandbox and measured: against an independent run of the same root under bwrap by
/// hand, measured with ps(1) (VmRSS, the kernel's own counters rather than smaps' page walk); images that exit, have no
/// entrypoint, a missing binary, a foreign architecture; the real nginx and Debian images; cancellation. After each,
/// no sandbox process and no temporary directory may remain.
/// </summary>
[Collection(ContainerSandboxCollection.Name)]
public sealed class ContainerMeasureTests
{
    /// <summary>Settle time of the test runs (the CLI's default is 5 s).</summary>
    private const double SettleSeconds = 1.5;

    /// <summary>
    /// Agreement of the anonymous memory (the processes' own heaps and stacks) with the independent run: 5% or 128 KiB,
    /// whichever is larger.
    /// </summary>
    private const double AnonTolerance = 0.05;

    private const long AnonToleranceKiB = 128;

    /// <summary>
    /// Agreement of total RSS: 15% or 512 KiB. File-backed RSS depends on how the files got into the page cache, not
    /// only on the program: nginx copied by Footprint from an uncompressed layer (64 KiB writes) showed about 300 KiB
    /// more RSS per process (10%) than from GNU tar's extraction (10 KiB writes), busybox almost none; the likely cause
    /// is that the kernel maps cached folios around each fault, and folios are as large as the writes that filled them.
    /// </summary>
    private const double RssTolerance = 0.15;

    private const long RssToleranceKiB = 512;

    [Fact]
    public void Should_measure_a_running_entrypoint_as_an_independent_run_does()
    {
        using var dir = new TempDir();
        var tree = ContainerImages.BusyboxTree(dir);
        string[] argv = ["/bin/sh", "-c", "sleep 300 & exec sleep 301"];
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(argv, null, user: "app", workingDir: "/srv"), ContainerImages.Tar(dir, tree));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.Equal("running", report.Outcome);
        Assert.Equal(argv, report.Command);
        Assert.Equal("/bin/sh", report.Executable);
        Assert.Equal("ELF x86_64, static", report.ExecutableKind);
        Assert.Equal((1234, 4321), (report.Uid, report.Gid));
        Assert.Equal("/srv", report.WorkingDir);
        Assert.Equal(["PATH", "FOOTPRINT_TEST", "HOME"], report.EnvironmentNames);
        Assert.Equal(2, report.Processes.Count);
        Assert.All(report.Processes, p => Assert.True(p.NsPid > 1));
        Assert.Equal(report.Processes.Sum(p => p.Memory.PssKiB), report.Total!.PssKiB);
        Assert.InRange(report.Total.PssKiB, 1, report.Total.RssKiB);
        AssertNothingLeft(report, parent);

        // Ground truth: the same tree under the same bwrap flags, started by hand; RSS of bwrap's descendants by ps.
        AssertAgrees(report, IndependentRun(tree, argv, 1234, 4321, "/srv"));
    }

    [Fact]
    public void Should_report_an_entrypoint_that_exits_with_its_status_and_last_lines()
    {
        using var dir = new TempDir();
        var tree = ContainerImages.BusyboxTree(dir);
        var layout = ContainerImages.Layout(dir.File("oci"),
            ContainerImages.Config(["/bin/sh", "-c"], ["echo starting; printf 'bad \\033[31mthing\\n' >&2; echo again; echo last >&2; exit 3"]), ContainerImages.Tar(dir, tree));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.Equal("exited", report.Outcome);
        Assert.False(report.Running);
        Assert.Equal(3, report.ExitCode);
        // Standard output and error in the order they were written (one pipe; CI once saw them swapped with two).
        Assert.Equal(["starting", "bad thing", "again", "last"], report.LastOutputLines);
        Assert.Contains("exited with status 3", report.Message, StringComparison.Ordinal);
        Assert.Empty(report.Processes);
        Assert.Null(report.Total);
        AssertNothingLeft(report, parent);
    }

    [Fact]
    public void Should_run_the_entrypoint_without_network_capabilities_or_host_files()
    {
        using var dir = new TempDir();
        var tree = ContainerImages.BusyboxTree(dir);
        const string Script = "cat /proc/net/dev; grep CapEff /proc/self/status; ls /; exit 5";
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/bin/sh", "-c", Script], null), ContainerImages.Tar(dir, tree));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.Equal(5, report.ExitCode);
        var lines = report.LastOutputLines.ToList();

        // /proc/net/dev: two header lines, then one line per interface: the new network namespace has only loopback.
        var header = lines.FindIndex(l => l.StartsWith("Inter-", StringComparison.Ordinal));
        Assert.Equal("lo:", lines[header + 2].Trim().Split(' ')[0]);
        Assert.StartsWith("CapEff:", lines[header + 3], StringComparison.Ordinal);
        Assert.Equal("0000000000000000", lines[header + 3].Split('\t', ' ').Last());

        // The root is the image's (and the mount points): the host's /usr, /home and /work are not there.
        Assert.Equal(["bin", "dev", "etc", "proc", "srv", "tmp"], lines.Skip(header + 4).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal));
        AssertNothingLeft(report, parent);
    }

    [Fact]
    public void Should_say_plainly_that_an_image_has_no_entrypoint()
    {
        using var dir = new TempDir();
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(null, null), ContainerImages.Tar(dir, ContainerImages.BusyboxTree(dir)));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.Equal("no-entrypoint", report.Outcome);
        Assert.Equal("the image config has neither Entrypoint nor Cmd: nothing to run (a base image meant to be built on)", report.Message);
        Assert.Empty(report.Command);
        Assert.Empty(report.Sandbox);
        AssertNothingLeft(report, parent);
    }

    [Theory]
    [InlineData("/usr/bin/absent", "the entrypoint /usr/bin/absent does not exist in the image")]
    [InlineData("absent", "the entrypoint 'absent' is not in the image: no executable of that name in PATH /usr/sbin:/usr/bin:/sbin:/bin")]
    [InlineData("/etc/passwd", "the entrypoint /etc/passwd is not executable (mode 644)")]
    [InlineData("/srv", "the entrypoint /srv is a Directory, not a file")]
    public void Should_refuse_an_entrypoint_the_image_does_not_hold(string entrypoint, string message)
    {
        using var dir = new TempDir();
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config([entrypoint], null), ContainerImages.Tar(dir, ContainerImages.BusyboxTree(dir)));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.Equal("not-runnable", report.Outcome);
        Assert.Equal(message, report.Message);
        AssertNothingLeft(report, parent);
    }

    [Fact]
    public void Should_refuse_a_program_built_for_another_architecture()
    {
        using var dir = new TempDir();
        var tree = ContainerImages.BusyboxTree(dir);

        // Alpine's aarch64 busybox (read with file(1) below), and a host program whose loader the image lacks.
        Tool.Shell($"tar -xzf '{Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz")}' -C '{dir.Path}' ./bin/busybox && cp '{dir.File("bin/busybox")}' '{tree}/bin/arm-busybox' && cp /usr/bin/env '{tree}/bin/dynamic-env'");
        Assert.Contains("ARM aarch64", Tool.Output("file", "-L", Path.Combine(tree, "bin/arm-busybox")), StringComparison.Ordinal);
        var interpreter = Tool.Output("readelf", "-l", "/usr/bin/env").Split('\n').First(l => l.Contains("program interpreter", StringComparison.Ordinal));
        var loader = interpreter[(interpreter.IndexOf(": ", StringComparison.Ordinal) + 2)..interpreter.IndexOf(']', StringComparison.Ordinal)];
        var layer = ContainerImages.Tar(dir, tree);
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var arm = Run(ContainerImages.Layout(dir.File("arm"), ContainerImages.Config(["/bin/arm-busybox"], ["sleep", "30"]), layer), parent);
        Assert.Equal("not-runnable", arm.Outcome);
        Assert.StartsWith("/bin/arm-busybox is built for aarch64 (64-bit), not for this host (x64)", arm.Message, StringComparison.Ordinal);

        var dynamic = Run(ContainerImages.Layout(dir.File("dyn"), ContainerImages.Config(["/bin/dynamic-env"], null), layer), parent);
        Assert.Equal("not-runnable", dynamic.Outcome);
        Assert.Equal($"/bin/dynamic-env needs the program interpreter {loader}, which the image does not hold", dynamic.Message);
        AssertNothingLeft(dynamic, parent);
    }

    [Fact]
    public void Should_run_the_debian_image_whose_shell_exits_at_once_without_input()
    {
        // Debian's Cmd is bash; with standard input closed (docker run without -i) it reads end of file and exits 0.
        var parent = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "footprint-test-debian-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var report = Run(Repo.Fixture("debian/minbase.docker.tar"), parent);
            Assert.Equal("exited", report.Outcome);
            Assert.Equal(0, report.ExitCode);
            Assert.Equal("docker-archive", report.ImageKind);
            Assert.Equal(["bash"], report.Command);
            Assert.Equal("/usr/bin/bash", report.Executable);
            Assert.StartsWith("ELF x86_64, dynamic (/lib64/ld-linux-x86-64.so.2)", report.ExecutableKind, StringComparison.Ordinal);
            AssertNothingLeft(report, parent);
        }
        finally
        {
            Directory.Delete(parent, true);
        }
    }

    [Fact]
    public void Should_report_that_nginx_cannot_switch_user_in_a_one_uid_sandbox()
    {
        // The fixture as built (Cmd nginx -g 'daemon off;', User empty: root of the sandbox, no capabilities).
        var parent = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "footprint-test-nginx-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var report = Run(Repo.Fixture("nginx/oci") + ":latest", parent);
            Assert.Equal("exited", report.Outcome);
            Assert.Equal(1, report.ExitCode);
            Assert.Equal(["nginx", "-g", "daemon off;"], report.Command);
            Assert.Equal("/usr/sbin/nginx", report.Executable);

            // Root of the sandbox prepares its worker's directories for www-data (uid 33), a uid the one-uid user
            // namespace does not map: the kernel refuses the chown with EINVAL before nginx gets to bind port 80.
            Assert.Equal("""2026/12/06 00:00:00 [emerg] 2#2: chown("/var/lib/nginx/body", 33) failed (22: Invalid argument)"""[20..],
                Assert.Single(report.LastOutputLines)[20..]);
            AssertNothingLeft(report, parent);
        }
        finally
        {
            Directory.Delete(parent, true);
        }
    }

    [Fact]
    public void Should_measure_nginx_on_an_unprivileged_port_as_an_independent_run_does()
    {
        // One layer over the fixture: the default site (port 80) whited out, a server on 8080, run as www-data.
        using var dir = new TempDir();
        var over = dir.File("over");
        Tool.Shell($$"""
            mkdir -p '{{over}}/etc/nginx/sites-enabled' '{{over}}/etc/nginx/conf.d'
            touch '{{over}}/etc/nginx/sites-enabled/.wh.default'
            printf 'server { listen 8080; root /var/www/html; }\n' > '{{over}}/etc/nginx/conf.d/footprint.conf'
            tar --numeric-owner -C '{{over}}' -cf '{{dir.File("over.tar")}}' .
            """);
        var rootfsTar = Repo.Fixture("nginx/rootfs.tar");
        var config = ContainerImages.Config(null, ["nginx", "-g", "daemon off;"], user: "www-data");
        var layout = ContainerImages.LayoutOfFiles(dir.File("oci"), config, rootfsTar, dir.File("over.tar"));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        var report = Run(layout, parent);

        Assert.True(report.Outcome == "running", report.Message + " | " + string.Join(" | ", report.LastOutputLines));
        Assert.Equal((33, 33), (report.Uid, report.Gid));
        Assert.All(report.Processes, p => Assert.Equal("nginx", p.Comm));
        Assert.Equal(1 + Environment.ProcessorCount, report.Processes.Count);
        AssertNothingLeft(report, parent);

        // Ground truth: the fixture extracted by GNU tar with the same override, run by hand, measured by ps.
        var tree = Directory.CreateDirectory(dir.File("tree")).FullName;
        // Owned by the user running the test, as Footprint's copy is (the one mapped uid sees its files as its own).
        Tool.Shell($"tar -xf '{rootfsTar}' -C '{tree}' --exclude './dev/*' && rm '{tree}/etc/nginx/sites-enabled/default' && cp '{over}/etc/nginx/conf.d/footprint.conf' '{tree}/etc/nginx/conf.d/' && chown -R \"$(id -u):$(id -g)\" '{tree}'");
        AssertAgrees(report, IndependentRun(tree, ["nginx", "-g", "daemon off;"], 33, 33, "/"));
    }

    [Fact]
    public void Should_kill_the_sandbox_at_its_wall_clock_limit()
    {
        using var dir = new TempDir();
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/bin/sleep", "300"], null), ContainerImages.Tar(dir, ContainerImages.BusyboxTree(dir)));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;
        using var source = ArtifactOpener.Open(layout, null, []);
        var clock = Stopwatch.StartNew();

        var report = ContainerMeasure.Run(source, new ContainerOptions { TempParent = parent, SettleSeconds = 30, TimeoutSeconds = 1 });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal("timeout", report.Outcome);
        Assert.Equal(137, report.ExitCode);
        Assert.InRange(report.ElapsedSeconds!.Value, 0.9, 5);
        AssertNothingLeft(report, parent);
    }

    [Fact]
    public void Should_stop_the_sandbox_and_delete_the_root_when_cancelled()
    {
        using var dir = new TempDir();
        var tree = ContainerImages.BusyboxTree(dir);
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/bin/sleep", "300"], null), ContainerImages.Tar(dir, tree));
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;
        using var cancel = new CancellationTokenSource();
        var started = false;
        using var source = ArtifactOpener.Open(layout, null, []);
        Assert.Throws<OperationCanceledException>(() => ContainerMeasure.Run(source, new ContainerOptions { TempParent = parent, SettleSeconds = 60 }, line =>
        {
            if (line.StartsWith("container: running", StringComparison.Ordinal))
            {
                started = true;
                cancel.CancelAfter(TimeSpan.FromSeconds(1));
            }
        }, cancel.Token));
        Assert.True(started);
        Assert.Empty(ContainerSandbox.RunningProcessIds);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
        Assert.Empty(ProcessesMentioning(parent));
    }

    private static ContainerReport Run(string artifact, string parent)
    {
        using var source = ArtifactOpener.Open(artifact, null, []);
        return ContainerMeasure.Run(source, new ContainerOptions { TempParent = parent, SettleSeconds = SettleSeconds, TimeoutSeconds = 30 });
    }

    /// <summary>No sandbox left running, none of its processes alive, its temporary root gone, no process naming it.</summary>
    private static void AssertNothingLeft(ContainerReport report, string parent)
    {
        Assert.Empty(ContainerSandbox.RunningProcessIds);
        Assert.All(report.Processes, p => Assert.False(Directory.Exists($"/proc/{p.Pid}") && File.ReadAllText($"/proc/{p.Pid}/comm").Trim() == p.Comm, $"pid {p.Pid} still runs"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
        Assert.Empty(ProcessesMentioning(parent));
    }

    /// <summary>Pids whose command line holds <paramref name="text"/> (bwrap's holds the temporary root's path).</summary>
    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(d), out var pid) && pid != Environment.ProcessId)
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(d, "cmdline")).Contains(text, StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        return found;
    }

    /// <summary>The processes, their total RSS and their anonymous memory agree with the independent run's.</summary>
    private static void AssertAgrees(ContainerReport report, (long RssKiB, long AnonKiB, string[] Comms) truth)
    {
        Assert.Equal(truth.Comms, report.Processes.Select(p => p.Comm).Order(StringComparer.Ordinal));
        var total = report.Total!;
        var anonAllowed = Math.Max(AnonToleranceKiB, truth.AnonKiB * AnonTolerance);
        Assert.True(Math.Abs(total.AnonymousKiB - truth.AnonKiB) <= anonAllowed,
            $"Footprint anonymous {total.AnonymousKiB} KiB, independent run RssAnon {truth.AnonKiB} KiB (allowed {anonAllowed:0} KiB)");
        var rssAllowed = Math.Max(RssToleranceKiB, truth.RssKiB * RssTolerance);
        Assert.True(Math.Abs(total.RssKiB - truth.RssKiB) <= rssAllowed,
            $"Footprint RSS {total.RssKiB} KiB, independent run {truth.RssKiB} KiB (allowed {rssAllowed:0} KiB)");
    }

    /// <summary>
    /// The same root run by hand under bwrap with the flags docs/boot.md lists, measured after the same settle time by
    /// the test's own reading: the process tree and RSS from ps(1), RssAnon from /proc/PID/status (the kernel's
    /// per-process counters, not smaps' page walk), for every descendant of bwrap other than bwrap itself. It runs
    /// from the test's own tree, not Footprint's copy (deleted by then), so the two runs share no files.
    /// </summary>
    private static (long RssKiB, long AnonKiB, string[] Comms) IndependentRun(string tree, string[] argv, int uid, int gid, string chdir)
    {
        var info = new ProcessStartInfo("/usr/bin/bwrap") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", uid.ToString(CultureInfo.InvariantCulture), "--gid", gid.ToString(CultureInfo.InvariantCulture),
            "--bind", tree, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", chdir, "--clearenv",
            "--setenv", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "--setenv", "FOOTPRINT_TEST", "1", "--setenv", "HOME", "/home/app", "--",
        }.Concat(argv))
        {
            info.ArgumentList.Add(a);
        }

        using var bwrap = Process.Start(info)!;
        bwrap.StandardInput.Close();
        try
        {
            Thread.Sleep(TimeSpan.FromSeconds(SettleSeconds));
            var rows = Tool.Output("ps", "-e", "-o", "pid=,ppid=,rss=,comm=").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 4)
                .Select(f => (Pid: int.Parse(f[0], CultureInfo.InvariantCulture), Ppid: int.Parse(f[1], CultureInfo.InvariantCulture), Rss: long.Parse(f[2], CultureInfo.InvariantCulture), Comm: f[3])).ToList();
            var below = new HashSet<int> { bwrap.Id };
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var r in rows)
                {
                    if (below.Contains(r.Ppid) && below.Add(r.Pid))
                    {
                        grew = true;
                    }
                }
            }

            var measured = rows.Where(r => below.Contains(r.Pid) && r.Comm != "bwrap").ToList();
            var anon = measured.Sum(r => long.Parse(File.ReadAllLines($"/proc/{r.Pid}/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
                .Split(' ', '\t').First(t => t.Length > 0 && char.IsAsciiDigit(t[0])), CultureInfo.InvariantCulture));
            return (measured.Sum(r => r.Rss), anon, [.. measured.Select(r => r.Comm).Order(StringComparer.Ordinal)]);
        }
        finally
        {
            bwrap.Kill(entireProcessTree: true);
            bwrap.WaitForExit();
        }
    }
}
