using System.Diagnostics;
using System.Runtime.InteropServices;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>
/// `docker save | gzip`: the decompressed archive is spooled to a file that is unlinked as soon as it is created, so
/// nothing is left in TMPDIR after any exit, SIGTERM and SIGKILL included. Each test gives the CLI its own TMPDIR.
/// </summary>
public sealed class SpooledArchiveTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_measure_a_gzipped_docker_archive_and_leave_no_file()
    {
        var plain = Repo.Fixture("scratch-busybox/docker.tar");
        var gzipped = _dir.File("docker.tar.gz");
        Tool.Shell($"gzip -c '{plain}' > '{gzipped}'");
        var tmp = TmpDir();

        using var p = Start(tmp, "measure", "-q", "-f", "json", gzipped);
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(tmp, "footprint-*"));
        var report = System.Text.Json.Nodes.JsonNode.Parse(stdout)!["artifacts"]![0]!;
        Assert.Equal("docker-archive", (string)report["kind"]!);
        Assert.True((bool)report["layersVerified"]!);
        Assert.Equal(Load.Measure(plain).Installed.ApparentBytes, (long)report["installed"]!["apparentBytes"]!);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public void Should_leave_no_spool_file_when_killed_mid_spool(string signal)
    {
        // 512 MiB of zeros after manifest.json: a 0.5 MB gzip that takes seconds to spool (ratio ~1000, so the bomb
        // guard is raised with --max-ratio for this test).
        var src = _dir.File("src");
        Directory.CreateDirectory(src);
        var layer = new string('a', 64) + ".tar";
        File.WriteAllText(Path.Combine(src, "manifest.json"), "[]");
        Tool.Output("truncate", "-s", "512M", Path.Combine(src, layer));
        var archive = _dir.File("big.tar.gz");
        Tool.Shell($"tar -cf - -C '{src}' manifest.json {layer} | gzip -1 > '{archive}'");
        var tmp = TmpDir();

        // The spool lives for well under a second on a fast machine, so a poll can miss it: the process is frozen
        // (SIGSTOP) the moment the file appears in TMPDIR (inotify), then checked, signalled and let go (SIGCONT).
        using var created = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(tmp, "footprint-*");
        Process? started = null;
        watcher.Created += (_, _) =>
        {
            lock (created)
            {
                if (started is not null && !created.IsSet)
                {
                    Signal(started, "STOP");
                    created.Set();
                }
            }
        };
        watcher.EnableRaisingEvents = true;
        using var p = Start(tmp, "measure", "-q", "--max-ratio", "100000", archive);
        lock (created)
        {
            started = p;
        }

        Assert.True(created.Wait(TimeSpan.FromSeconds(60)) || p.HasExited, "no spool file was created");
        var spool = DeletedSpool(p, tmp);
        Assert.NotNull(spool);
        Signal(p, signal);
        if (signal != "KILL")
        {
            // A stopped process keeps TERM pending until it runs again; KILL needs no help (and leaves no process).
            Signal(p, "CONT");
        }

        Assert.True(p.WaitForExit(30_000));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(tmp, "footprint-*"));
    }

    /// <summary>
    /// kill(2) from this process: a `kill` child forked from the loaded test host took long enough (a full run, load
    /// ~5) for the measure process to finish spooling and exit before SIGSTOP reached it.
    /// </summary>
    private static void Signal(Process p, string signal)
    {
        var number = signal switch { "TERM" => 15, "KILL" => 9, "STOP" => 19, "CONT" => 18, _ => throw new ArgumentOutOfRangeException(nameof(signal)) };
        if (Kill(p.Id, number) != 0)
        {
            throw new InvalidOperationException($"kill({p.Id}, SIG{signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private string TmpDir()
    {
        var tmp = _dir.File("tmp");
        Directory.CreateDirectory(tmp);
        return tmp;
    }

    private static Process Start(string tmp, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["TMPDIR"] = tmp;
        var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    /// <summary>
    /// The spool file as the frozen process holds it: open, already unlinked ("... (deleted)"), inside
    /// <paramref name="tmp"/>. The process may have been stopped between create and unlink, so it is let run in
    /// 1 ms steps until the unlink (at most 5 s).
    /// </summary>
    private static string? DeletedSpool(Process p, string tmp)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && !p.HasExited)
        {
            foreach (var fd in Directory.GetFiles($"/proc/{p.Id}/fd"))
            {
                string? target = null;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                }

                if (target is not null && target.StartsWith(Path.Combine(tmp, "footprint-"), StringComparison.Ordinal) && target.EndsWith(" (deleted)", StringComparison.Ordinal))
                {
                    return target;
                }
            }

            Signal(p, "CONT");
            Thread.Sleep(1);
            Signal(p, "STOP");
        }

        return null;
    }
}
