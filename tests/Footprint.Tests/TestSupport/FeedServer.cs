using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// A local HTTP server on 127.0.0.1 for `db update` tests (no test reaches the internet). Each path serves bytes in
/// one of a few ways: whole, with Range support; dropping the connection once after some bytes; chunked without a
/// length. Every request's path and Range header is logged.
/// </summary>
internal sealed class FeedServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FeedServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        // A client of an earlier test still knocking on a reused port would otherwise race the start and end the test
        // host (see ListenerStartRace).
        _ = Footprint.Cli.ScannerAdapter.ListenerStartRace.Guard();
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    /// <summary>The Last-Modified header every response carries.</summary>
    public static DateTimeOffset LastModified { get; } = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/>; <paramref name="dropAfterBytes"/> aborts the first response after that many bytes.</summary>
    public void Add(string path, byte[] content, long? dropAfterBytes = null, bool chunked = false)
        => _routes[path] = new Route(content, dropAfterBytes, chunked);

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.TrimStart('/');
        var range = context.Request.Headers["Range"];
        Log.Enqueue(range is null ? path : $"{path} {range}");
        var response = context.Response;
        try
        {
            if (!_routes.TryGetValue(path, out var route))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            long from = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{route.Content.Length - 1}/{route.Content.Length}";
            }

            var body = route.Content.AsSpan((int)from);
            response.Headers["Last-Modified"] = LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (route.Chunked)
            {
                response.SendChunked = true;
            }
            else
            {
                response.ContentLength64 = body.Length;
            }

            if (route.DropAfterBytes is { } drop && !route.Dropped)
            {
                route.Dropped = true;
                response.OutputStream.Write(body[..(int)drop]);
                response.OutputStream.Flush();
                response.Abort();
                return;
            }

            response.OutputStream.Write(body);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
        }
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

    private sealed class Route(byte[] content, long? dropAfterBytes, bool chunked)
    {
        public byte[] Content { get; } = content;

        public long? DropAfterBytes { get; } = dropAfterBytes;

        public bool Chunked { get; } = chunked;

        public bool Dropped { get; set; }
    }
}
