using System.Diagnostics;
using System.Net;
using System.Text;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// A `footprint serve` child process on a free port, its stdout and stderr kept, and a client pointed at it; started
/// when the metadata endpoint answers. Killed (as a crash would) when disposed.
/// </summary>
internal sealed class AdapterProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly List<string> _own = [];

    /// <param name="home">HOME (and the cache under it) of the process.</param>
    /// <param name="log">Where every line printed goes (shared by the processes of a test, for greps).</param>
    /// <param name="environment">Extra environment variables (the test hooks).</param>
    /// <param name="args">Arguments after `serve --listen 127.0.0.1:PORT`.</param>
    public AdapterProcess(string home, StringBuilder log, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        _log = log;
        var port = HttpFront.FreePort();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll"), "serve", "--listen", $"127.0.0.1:{port}" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = home;
        psi.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        // A startup failure is reported with its stack (Program.WriteStackWhenDebugging) in the test's message.
        psi.Environment["FOOTPRINT_DEBUG"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = Http.GetAsync("/api/v1/metadata").GetAwaiter().GetResult();
                if (probe.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (_process.HasExited)
                {
                    _process.WaitForExit();
                    throw new InvalidOperationException($"footprint serve exited ({_process.ExitCode}): {string.Join('\n', Lines())}");
                }
            }

            Thread.Sleep(100);
        }

        // The banner names this process's consumer ("worker NAME)") when it serves a Redis queue; its line may still be in the pipe.
        string? banner;
        while ((banner = Lines().FirstOrDefault(l => l.StartsWith("footprint: serving", StringComparison.Ordinal))) is null && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(20);
        }

        banner = banner is not null && banner.Contains(" worker ", StringComparison.Ordinal) ? banner : null;
        Worker = banner is null ? null : banner[(banner.IndexOf(" worker ", StringComparison.Ordinal) + 8)..].TrimEnd(')');
    }

    public HttpClient Http { get; }

    /// <summary>The Redis consumer name of this process (null on the one-node backend).</summary>
    public string? Worker { get; }

    /// <summary>Kills the process as a crash would (no shutdown, nothing acknowledged).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        Http.Dispose();
    }

    private List<string> Lines()
    {
        lock (_own)
        {
            return [.. _own];
        }
    }

    private void Log(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }

        lock (_own)
        {
            _own.Add(line ?? string.Empty);
        }
    }
}
