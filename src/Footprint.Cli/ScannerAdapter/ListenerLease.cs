using System.Net;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Owns the started listener and closes it without failing. The managed HttpListener removes its prefixes one by one
/// and looks up each one's endpoint again; when several loopback prefixes share a port, the first removal closes the
/// shared socket and the next one may try to bind the port anew, which throws "Address already in use" from Dispose
/// (seen in the full test run). Nothing is left to release by then, so the exception is dropped.
/// </summary>
internal sealed class ListenerLease(HttpListener listener) : IDisposable
{
    public HttpListener Listener { get; } = listener;

    public void Dispose()
    {
        try
        {
            Listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
