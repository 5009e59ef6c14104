using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Footprint.Measures.Running;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running;

/// <summary>
/// Connecting to QEMU's QMP socket: a full test run once failed a boot with an internal SocketException when QEMU
/// went away (a guest panicking at a too-small memory size) while the connect was retried for 10 s.
/// </summary>
public sealed class QmpClientTests
{
    [Fact]
    public void Should_stop_waiting_with_an_io_error_naming_the_socket_once_qemu_has_exited()
    {
        using var dir = new TempDir();
        var socket = dir.File("qmp");
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<IOException>(() => QmpClient.Connect(socket, DateTime.UtcNow.AddSeconds(60), () => true));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"waited {clock.Elapsed} for a QEMU that had exited");
        Assert.Contains(socket, e.Message, StringComparison.Ordinal);
        Assert.Contains("exited", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_give_up_at_the_deadline_with_an_io_error_naming_the_socket()
    {
        using var dir = new TempDir();
        var socket = dir.File("qmp");
        var e = Assert.Throws<IOException>(() => QmpClient.Connect(socket, DateTime.UtcNow.AddMilliseconds(200), () => false));
        Assert.Contains(socket, e.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_wait_for_a_socket_that_appears_late_and_negotiate_capabilities()
    {
        using var dir = new TempDir();
        var path = dir.File("qmp");
        var received = new StringBuilder();
        var server = Task.Run(async () =>
        {
            // Like QEMU on a loaded machine: the socket appears only after the client has started retrying.
            await Task.Delay(400);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var peer = await listener.AcceptAsync();
            using var stream = new NetworkStream(peer);
            await stream.WriteAsync("{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n"u8.ToArray());
            var buffer = new byte[4096];
            var n = await stream.ReadAsync(buffer);
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            await stream.WriteAsync("{\"return\": {}}\r\n"u8.ToArray());
            await Task.Delay(200);
        });

        using var client = QmpClient.Connect(path, DateTime.UtcNow.AddSeconds(30), () => false);
        await server.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("\"qmp_capabilities\"", received.ToString(), StringComparison.Ordinal);
    }
}
