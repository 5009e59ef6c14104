using System.Diagnostics;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// Debian's docker-registry (distribution 2.8) on 127.0.0.1, with its own config and a storage directory (which
/// several instances may share, read-only in practice), started here and killed when disposed.
/// </summary>
internal sealed class LocalRegistry : IDisposable
{
    private readonly Process _process;
    private readonly TempDir _dir = new();

    /// <summary>A registry on <paramref name="storage"/> behind htpasswd Basic auth for one user (the htpasswd file in <paramref name="directory"/>).</summary>
    public static LocalRegistry WithBasicAuth(string storage, string directory, string user, string password)
    {
        var htpasswd = Path.Combine(directory, "htpasswd");
        if (!File.Exists(htpasswd))
        {
            File.WriteAllText(htpasswd, Tool.Output("htpasswd", "-Bbn", user, password));
        }

        return new LocalRegistry(storage, $"  htpasswd:\n    realm: footprint-test\n    path: {htpasswd}\n");
    }

    /// <param name="storage">The storage root directory.</param>
    /// <param name="auth">The config's `auth:` section, indented by two spaces, or null for anonymous access.</param>
    public LocalRegistry(string storage, string? auth = null)
    {
        Port = HttpFront.FreePort();
        var config = _dir.File("config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
            http:
              addr: 127.0.0.1:{Port}
            {(auth is null ? string.Empty : "auth:\n" + auth)}
            """);
        var psi = new ProcessStartInfo("docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start docker-registry (apt-get install docker-registry; test.sh does)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilUp();
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private void WaitUntilUp()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited ({_process.ExitCode}): {string.Join('\n', Log)}");
            }

            try
            {
                using var response = http.GetAsync($"http://{Host}/v2/").Result;
                return;
            }
            catch (AggregateException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("docker-registry did not answer within 20 s");
    }
}
