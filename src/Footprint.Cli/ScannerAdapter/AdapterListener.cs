using System.Net;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// The HttpListener for `serve --listen HOST:PORT`. HttpListener routes a request by its Host header compared
/// literally with each prefix's host, and binds each prefix's host to the first address it resolves to: served on
/// 127.0.0.1 only, `curl localhost:PORT` (Host: localhost) was answered 404. A loopback --listen (localhost,
/// 127.0.0.1, ::1) therefore gets the prefixes of every loopback name, each bound to a loopback address only, never
/// to all interfaces (`+` and `*` would bind 0.0.0.0); a request naming any other host is still refused, which keeps
/// DNS rebinding out. Any other host is bound as given.
/// </summary>
internal static class AdapterListener
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    /// <summary>Starts tried again after a client raced the listener's start (see <see cref="Start"/>).</summary>
    private const int MaxStartRaces = 20;

    /// <summary>A started listener for <paramref name="listen"/> (host:port, an IPv6 host in brackets).</summary>
    public static HttpListener Start(string listen)
    {
        // The same race can also throw on a thread-pool thread, after Start() returned, which would end the process.
        _ = ListenerStartRace.Guard();
        var candidates = Prefixes(listen);
        var races = 0;
        for (var i = 0; ;)
        {
            var listener = new HttpListener();
            try
            {
                foreach (var prefix in candidates[i])
                {
                    listener.Prefixes.Add(prefix);
                }

                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (i + 1 < candidates.Count)
            {
                // Most likely no IPv6 loopback here (a container without ::1): try the next, smaller set.
                listener.Close();
                i++;
            }
            catch (ArgumentNullException) when (races++ < MaxStartRaces)
            {
                // .NET's managed HttpListener starts accepting inside its endpoint's constructor, before the lock that
                // accepting takes exists (dotnet/corefx#35191): a client already connecting (a health check, a
                // harness polling the port) makes Start() throw "Value cannot be null.". The half-built endpoint
                // keeps its listening socket open, unreferenced, on the port: a collection lets its finalizer close
                // it, and the same prefixes are started again.
                listener.Close();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
            catch
            {
                listener.Close();
                throw;
            }
        }
    }

    /// <summary>Prefix sets to try in order: the largest first, down to the literal host alone.</summary>
    internal static IReadOnlyList<string[]> Prefixes(string listen)
    {
        var literal = $"http://{listen}/";
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return [[literal]];
        }

        var host = listen[..colon].Trim('[', ']');
        if (!LoopbackNames.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return [[literal]];
        }

        string Prefix(string name) => $"http://{(name.Contains(':', StringComparison.Ordinal) ? $"[{name}]" : name)}:{port}/";
        return
        [
            [.. LoopbackNames.Select(Prefix)],
            [Prefix("localhost"), Prefix("127.0.0.1")],
            [literal],
        ];
    }
}
