using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Footprint.Measures.Running;

/// <summary>
/// A minimal QEMU Machine Protocol client over the unix socket QEMU listens on (docs/interop/qmp-spec.rst): reads the
/// greeting, negotiates capabilities, then sends one command at a time and skips asynchronous events until the
/// command's return or error. Every read has a deadline; a line over <see cref="MaxLineBytes"/> is refused.
/// </summary>
public sealed class QmpClient : IDisposable
{
    private const int MaxLineBytes = 64 << 10;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _start;
    private int _end;

    private QmpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>
    /// Connects, retrying while QEMU creates the socket, until <paramref name="deadline"/> or until
    /// <paramref name="gone"/> says QEMU has exited. A guest that panics at once (a minimum-RAM step too small) takes
    /// QEMU and its socket away between the caller's last look and the connect: without the second condition every
    /// retry met a missing socket until the deadline, and the boot failed with an internal SocketException instead
    /// of reading that size as "does not boot". Either way the failure is an <see cref="IOException"/> naming the socket.
    /// </summary>
    public static QmpClient Connect(string socketPath, DateTime deadline, Func<bool> gone)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(socketPath));
                socket.ReceiveTimeout = 5000;
                var client = new QmpClient(socket);
                _ = client.ReadLine(); // greeting
                client.Execute("qmp_capabilities", null);
                return client;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                if (gone())
                {
                    throw new IOException($"QEMU exited before its QMP socket {socketPath} answered ({e.Message})", e);
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new IOException($"QEMU's QMP socket {socketPath} did not answer in time ({e.Message})", e);
                }

                Thread.Sleep(50);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Runs one command; returns its "return" value, or throws with QEMU's error description.</summary>
    public JsonNode? Execute(string command, JsonObject? arguments)
    {
        var request = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        var bytes = Encoding.UTF8.GetBytes(request.ToJsonString() + "\n");
        _stream.Write(bytes);
        while (true)
        {
            var reply = JsonNode.Parse(ReadLine()) as JsonObject ?? throw new IOException("QMP: a reply that is not an object");
            if (reply.TryGetPropertyValue("return", out var value))
            {
                return value;
            }

            if (reply.TryGetPropertyValue("error", out var error))
            {
                throw new IOException($"QMP {command}: {error?["desc"]?.GetValue<string>() ?? "error"}");
            }
        }
    }

    /// <summary>An HMP command through QMP's human-monitor-command; returns its text output.</summary>
    public string Human(string commandLine)
        => Execute("human-monitor-command", new JsonObject { ["command-line"] = commandLine })?.GetValue<string>() ?? "";

    private string ReadLine()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException($"QMP: a line over {MaxLineBytes} bytes");
            }

            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                throw new IOException("QMP: QEMU closed the monitor");
            }

            _end += n;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
