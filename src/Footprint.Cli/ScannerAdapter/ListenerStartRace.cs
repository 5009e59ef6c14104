using System.Runtime.ExceptionServices;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Keeps `serve` alive through the managed HttpListener's start race (dotnet/corefx#35191). The listener's endpoint
/// starts accepting inside its constructor, before the table its accept callback locks exists. A client connecting
/// in that window either makes Start() throw (handled by <see cref="AdapterListener"/>) or, when the accept
/// completes on a thread-pool thread, throws ArgumentNullException there, which ends the process: CI's test host died
/// so while a test knocked on the port. The callback re-arms the accept before it throws, so the listener goes on
/// serving; only that one early connection is lost (its socket is closed when collected, so that client times out).
/// This handler marks exactly that fault as handled, recognised by its type and the frame that threw it; every other
/// unhandled exception still ends the process as before.
/// </summary>
internal static class ListenerStartRace
{
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>
    /// Installs the handler once per process. False when another handler was set first (the runtime takes one), in
    /// which case the race can still end the process.
    /// </summary>
    public static bool Guard()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return true;
            }

            try
            {
                ExceptionHandling.SetUnhandledExceptionHandler(IsStartRaceFault);
                _installed = true;
            }
            catch (InvalidOperationException)
            {
                // Someone else's handler is in place: theirs decides.
            }

            return _installed;
        }
    }

    internal static bool IsStartRaceFault(Exception e) => e is ArgumentNullException && ThrownByAcceptCallback(e.StackTrace);

    /// <summary>
    /// True when the first frame below the throw helper is the listener's accept callback. The frame text is
    /// "at System.Net.HttpEndPointListener.ProcessAccept(SocketAsyncEventArgs args)" under the JIT and the same name
    /// without parameter names, plus an offset, in the native build: the type and method name are what is matched.
    /// </summary>
    internal static bool ThrownByAcceptCallback(string? stackTrace)
    {
        if (stackTrace is null)
        {
            return false;
        }

        foreach (var raw in stackTrace.Split('\n'))
        {
            var frame = raw.Trim();
            if (frame.Length == 0 || frame.StartsWith("at System.ArgumentNullException.", StringComparison.Ordinal))
            {
                continue;
            }

            return frame.StartsWith("at System.Net.HttpEndPointListener.ProcessAccept(", StringComparison.Ordinal);
        }

        return false;
    }
}
