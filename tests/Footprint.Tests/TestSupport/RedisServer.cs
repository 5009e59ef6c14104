using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// Debian's redis-server on 127.0.0.1 and a free port (redis has no port 0), with a password, no persistence and a
/// scratch working directory; never the service the package may have started. Killed and its directory removed when
/// disposed.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    public const string Password = "redis-pw-never-printed-41d9";

    private readonly TempDir _dir = new();
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    public RedisServer()
    {
        Port = HttpFront.FreePort();
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir.Path, "--requirepass", Password })
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            _process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _dir.Dispose();
            throw new InvalidOperationException($"cannot start redis-server ({e.Message}): apt-get install redis-server (test.sh does)");
        }

        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (Command("PING") != "+PONG")
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Dispose();
                throw new InvalidOperationException($"redis-server did not answer on port {Port}: {string.Join('\n', _log)}");
            }

            Thread.Sleep(50);
        }
    }

    public int Port { get; }

    /// <summary>`--redis` of footprint serve (a StackExchange.Redis configuration string).</summary>
    public string Configuration => $"127.0.0.1:{Port},password={Password}";

    /// <summary>One command in the inline protocol, authenticated; the first line of the answer, or null when the server is not up.</summary>
    public string? Command(string command)
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            using var stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes($"AUTH {Password}\r\n{command}\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var auth = reader.ReadLine();
            return auth == "+OK" ? reader.ReadLine() : auth;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

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
}
