using System.Net;
using Footprint.Cli.ScannerAdapter;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli.ScannerAdapter;

/// <summary>`serve --listen`: a loopback address answers every loopback name (curl localhost:PORT), and nothing else.</summary>
public sealed class AdapterListenerTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Should_answer_localhost_and_127_0_0_1_whichever_is_given(string host)
    {
        var port = HttpFront.FreePort();
        using var lease = new ListenerLease(AdapterListener.Start($"{host}:{port}"));
        var listener = lease.Listener;
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext c;
                try
                {
                    c = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                c.Response.StatusCode = 200;
                c.Response.Close();
            }
        });
        using var http = new HttpClient();
        foreach (var name in new[] { "localhost", "127.0.0.1" })
        {
            using var response = await http.GetAsync($"http://{name}:{port}/api/v1/metadata");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A request naming another host (DNS rebinding: attacker.example resolved to 127.0.0.1) is still refused.
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/v1/metadata");
        foreign.Headers.Host = $"attacker.example:{port}";
        using var refused = await http.SendAsync(foreign);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        listener.Stop();
        await serving;
    }

    [Fact]
    public void Should_bind_loopback_names_only_and_other_hosts_as_given()
    {
        var sets = AdapterListener.Prefixes("127.0.0.1:8080");
        Assert.Equal(["http://localhost:8080/", "http://127.0.0.1:8080/", "http://[::1]:8080/"], sets[0]);
        Assert.Equal(["http://127.0.0.1:8080/"], sets[^1]);
        Assert.All(sets.SelectMany(s => s), p => Assert.DoesNotContain(p, new[] { "http://+:8080/", "http://*:8080/" }));
        Assert.Equal(["http://[::1]:9000/"], AdapterListener.Prefixes("[::1]:9000")[^1]);
        Assert.Equal([["http://10.1.2.3:80/"]], AdapterListener.Prefixes("10.1.2.3:80"));
        Assert.Equal([["http://scanner.internal:8080/"]], AdapterListener.Prefixes("scanner.internal:8080"));
    }

    [Fact]
    public void Should_start_while_clients_are_already_knocking()
    {
        // .NET's managed HttpListener accepts inside the endpoint's constructor, before the lock it takes is set
        // (dotnet/corefx#35191): a client that connects in that window made Start() throw "Value cannot be null."
        // (serve exited 2 once in a test run: the harness polls the port while serve starts). Here a thread connects in
        // a loop while the listener is started and closed again and again.
        // The same race throwing on a thread-pool thread would end this test host: the guard must be in place.
        Assert.True(ListenerStartRace.Guard(), "another unhandled-exception handler was set first");
        var port = HttpFront.FreePort();
        int prefixes;
        using (var quiet = new ListenerLease(AdapterListener.Start($"127.0.0.1:{port}")))
        {
            prefixes = quiet.Listener.Prefixes.Count;
        }

        using var stop = new CancellationTokenSource();
        var knocks = 0;
        var knocker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Connect(IPAddress.Loopback, port);
                    Interlocked.Increment(ref knocks);
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // Nobody listening between two starts.
                }
            }
        }) { IsBackground = true };
        knocker.Start();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                using var lease = new ListenerLease(AdapterListener.Start($"127.0.0.1:{port}"));
                Assert.True(lease.Listener.IsListening);

                // The same prefixes as without the race: a retry must not fall back to a smaller set.
                Assert.Equal(prefixes, lease.Listener.Prefixes.Count);
            }
        }
        finally
        {
            stop.Cancel();
            knocker.Join();
        }

        Assert.True(knocks > 0, "no client ever connected: the test did not race anything");
    }

    [Theory]
    [InlineData("""
           at System.ArgumentNullException.Throw(String paramName)
           at System.Net.HttpEndPointListener.ProcessAccept(SocketAsyncEventArgs args)
           at System.Net.HttpEndPointListener.OnAccept(Object sender, SocketAsyncEventArgs e)
           at System.Net.Sockets.SocketAsyncEventArgs.OnCompletedInternal()
        """)]
    [InlineData("""
           at System.ArgumentNullException.Throw(String) + 0x29
           at System.Net.HttpEndPointListener.ProcessAccept(SocketAsyncEventArgs) + 0x7f
           at System.Net.HttpEndPointListener.OnAccept(Object, SocketAsyncEventArgs) + 0x31
        --- End of stack trace from previous location ---
           at System.Net.Sockets.SocketAsyncEngine.System.Threading.IThreadPoolWorkItem.Execute() + 0xac
        """)]
    public void Should_recognise_the_start_race_thrown_by_the_accept_callback(string trace)
    {
        // The first: CI's crashed test host (JIT). The second: the native build, reproduced with clients knocking
        // while CPU-bound threads preempted the listener's constructor.
        Assert.True(ListenerStartRace.ThrownByAcceptCallback(trace));
    }

    [Theory]
    [InlineData("""
           at System.ArgumentNullException.Throw(String paramName)
           at Footprint.Cli.ScannerAdapter.AdapterServer.Handle(HttpListenerContext context)
        """)]
    [InlineData("""
           at System.Net.HttpConnection..ctor(Socket sock, HttpEndPointListener epl, Boolean secure, X509Certificate cert)
           at System.Net.HttpEndPointListener.ProcessAccept(SocketAsyncEventArgs args)
        """)]
    [InlineData("")]
    [InlineData(null)]
    public void Should_leave_every_other_fault_unhandled(string? trace)
    {
        Assert.False(ListenerStartRace.ThrownByAcceptCallback(trace));
    }

    [Fact]
    public void Should_not_take_an_argument_null_exception_of_our_own_for_the_race()
    {
        var ours = Assert.Throws<ArgumentNullException>(() => ArgumentNullException.ThrowIfNull((object?)null, "x"));
        Assert.False(ListenerStartRace.IsStartRaceFault(ours));
        Assert.False(ListenerStartRace.IsStartRaceFault(new InvalidOperationException("at System.Net.HttpEndPointListener.ProcessAccept(")));
    }
}
