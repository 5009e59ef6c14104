using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// One entrypoint running under bubblewrap: every namespace unshared (so no network: the new network namespace has only
/// a loopback), the process dies with Footprint (--die-with-parent, and with bwrap's own pid 1, which takes the whole
/// PID namespace with it), a new session (no terminal to push input into), every capability dropped, the image's
/// uid/gid mapped in a user namespace, /proc, /dev and a tmpfs /tmp mounted, the materialised root bound at /.
/// Standard input is closed at once (as `docker run` without -i); standard output and error are read into a bounded
/// tail. A watchdog kills the sandbox at its wall-clock limit; <see cref="Dispose"/> kills the whole process tree and
/// reaps bwrap on every exit path.
/// </summary>
public sealed class ContainerSandbox : IDisposable
{
    /// <summary>Bytes of output kept (the last ones); older output is dropped as it comes.</summary>
    private const int MaxTailBytes = 16 << 10;

    private const int MaxLineChars = 400;

    private static readonly ConcurrentDictionary<int, byte> Running = new();

    private readonly Process _process;
    private readonly Timer _watchdog;
    private readonly byte[] _tail = new byte[MaxTailBytes];
    private readonly Thread[] _readers;
    private int _tailLength;
    private int _timedOut;
    private bool _disposed;

    private ContainerSandbox(Process process, TimeSpan limit)
    {
        _process = process;
        // Standard error is on the standard output's pipe (Start), so this reader sees the lines in the order they
        // were written; the second reader only gets the host shell's own complaint if exec fails.
        _readers =
        [
            new Thread(() => Read(process.StandardOutput.BaseStream)) { IsBackground = true, Name = "sandbox-output" },
            new Thread(() => Read(process.StandardError.BaseStream)) { IsBackground = true, Name = "sandbox-exec" },
        ];
        _watchdog = new Timer(_ =>
        {
            Interlocked.Exchange(ref _timedOut, 1);
            Kill();
        }, null, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Process ids of sandboxes started and not yet reaped: tests assert it ends empty.</summary>
    public static IReadOnlyCollection<int> RunningProcessIds => Running.Keys.ToList();

    /// <summary>bwrap's process id (on the host): the root of the sandbox's process tree.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Whether the watchdog ended the sandbox.</summary>
    public bool TimedOut => Volatile.Read(ref _timedOut) == 1;

    /// <summary>bwrap's exit status, which is the entrypoint's (or bwrap's own 1 when it could not set the sandbox up).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>bwrap's arguments; <paramref name="root"/> is bound at /.</summary>
    public static IReadOnlyList<string> Arguments(ContainerLaunch launch, string root)
    {
        var args = new List<string>
        {
            "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", launch.Uid.ToString(CultureInfo.InvariantCulture), "--gid", launch.Gid.ToString(CultureInfo.InvariantCulture),
            "--bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--chdir", launch.WorkingDir, "--clearenv",
        };
        foreach (var e in launch.Environment)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            args.AddRange(["--setenv", e[..eq], e[(eq + 1)..]]);
        }

        args.Add("--");
        args.AddRange(launch.Argv);
        return args;
    }

    /// <exception cref="IOException">bwrap cannot be started.</exception>
    public static ContainerSandbox Start(string bwrap, ContainerLaunch launch, string root, double timeoutSeconds)
    {
        if (!File.Exists(bwrap))
        {
            throw new IOException($"cannot start {bwrap}: no such file (install bubblewrap)");
        }

        // The host's shell puts bwrap's standard error on its standard output's pipe and then becomes bwrap (exec: same
        // process id, so killing the tree is unchanged). With two pipes read by two threads, a line written to stdout
        // before one written to stderr could be reported after it.
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" 2>&1");
        info.ArgumentList.Add(bwrap);
        foreach (var a in Arguments(launch, root))
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException($"cannot start {bwrap}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot start {bwrap} through /bin/sh: {e.Message}", e);
        }

        Running[process.Id] = 0;
        var sandbox = new ContainerSandbox(process, TimeSpan.FromSeconds(timeoutSeconds));
        process.StandardInput.Close();
        foreach (var reader in sandbox._readers)
        {
            reader.Start();
        }

        return sandbox;
    }

    /// <summary>Waits until the sandbox exits or <paramref name="wait"/> passes; true when it exited.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (Ctrl-C): the caller's using kills the sandbox.</exception>
    public bool WaitForExit(TimeSpan wait, CancellationToken cancel)
    {
        var until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            cancel.ThrowIfCancellationRequested();
            if (_process.WaitForExit(100))
            {
                // The readers get the last of the output before it is reported.
                foreach (var reader in _readers)
                {
                    reader.Join(2000);
                }

                return true;
            }
        }

        return _process.HasExited;
    }

    /// <summary>The last lines the entrypoint (or bwrap) wrote on standard output and error, escaped (<see cref="ConsoleText"/>).</summary>
    public IReadOnlyList<string> LastOutputLines(int count)
    {
        byte[] bytes;
        lock (_tail)
        {
            bytes = _tail[.._tailLength];
        }

        return ConsoleText.Clean(bytes).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)
            .TakeLast(count).Select(l => l.Length > MaxLineChars ? l[..MaxLineChars] + "..." : l).ToList();
    }

    private void Read(Stream stream)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (_tail)
                {
                    if (n >= MaxTailBytes)
                    {
                        Array.Copy(buffer, n - MaxTailBytes, _tail, 0, MaxTailBytes);
                        _tailLength = MaxTailBytes;
                        continue;
                    }

                    var keep = Math.Min(_tailLength, MaxTailBytes - n);
                    Array.Copy(_tail, _tailLength - keep, _tail, 0, keep);
                    Array.Copy(buffer, 0, _tail, keep, n);
                    _tailLength = keep + n;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The sandbox was killed: its output ends here.
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                // bwrap, its pid 1 and everything below: the kernel also kills the whole PID namespace when its pid 1 dies.
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _watchdog.Dispose();
        Kill();
        try
        {
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        Running.TryRemove(_process.Id, out _);
        foreach (var reader in _readers)
        {
            reader.Join(2000);
        }

        _process.Dispose();
    }
}
