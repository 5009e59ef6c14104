using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// A small HTTP server on 127.0.0.1 (HttpListener) for registry tests: a proxy in front of a real registry that
/// counts, cuts or corrupts responses, a token endpoint, or a hostile registry. Stopped when disposed.
/// </summary>
internal sealed class HttpFront : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    public HttpFront(Func<HttpListenerContext, Task> handler)
    {
        _handler = handler;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        // A client of an earlier test still knocking on a reused port would otherwise race the start and end the test
        // host (see ListenerStartRace).
        _ = Footprint.Cli.ScannerAdapter.ListenerStartRace.Guard();
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public int Port { get; }

    /// <summary>"GET /v2/x/blobs/sha256:...", with " range" when the request carried a Range header, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every header value received (to check no credential reached a place it must not).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>Forwards a request to 127.0.0.1:<paramref name="upstreamPort"/>; <paramref name="body"/> may rewrite or cut the response body.</summary>
    /// <param name="context">The request to forward.</param>
    /// <param name="upstreamPort">Where the real server listens.</param>
    /// <param name="body">Writes the response body (default: copied as is).</param>
    /// <param name="forwardRange">False to drop the Range header, as a server that ignores ranges would.</param>
    public static async Task Forward(HttpListenerContext context, int upstreamPort, Func<HttpListenerContext, HttpResponseMessage, Stream, Task>? body = null, bool forwardRange = true)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), $"http://127.0.0.1:{upstreamPort}{context.Request.RawUrl}");
        foreach (var name in new[] { "Accept", "Authorization", "Range" })
        {
            if (context.Request.Headers[name] is { } value && (forwardRange || name != "Range"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var output = context.Response;
        output.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers)
        {
            if (name is not ("Transfer-Encoding" or "Connection" or "Date"))
            {
                foreach (var v in values)
                {
                    output.AddHeader(name, v);
                }
            }
        }

        if (response.Content.Headers.ContentType is { } type)
        {
            output.ContentType = type.ToString();
        }

        if (response.Content.Headers.ContentRange is { } range)
        {
            output.AddHeader("Content-Range", range.ToString());
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            output.ContentLength64 = length;
        }

        await using var content = await response.Content.ReadAsStreamAsync();
        if (body is not null)
        {
            await body(context, response, content);
            return;
        }

        await content.CopyToAsync(output.OutputStream);
        output.Close();
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // .NET's HttpListener can throw "Address already in use" from Close when loopback prefixes share a port
            // (the same bug ListenerLease guards `serve` against): the listener is closed anyway.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}" + (context.Request.Headers["Range"] is null ? string.Empty : " range"));
            if (context.Request.Headers["Authorization"] is { } auth)
            {
                Authorizations.Enqueue(auth);
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException or HttpRequestException)
                {
                    context.Response.Abort();
                }
            });
        }
    }
}
