namespace Footprint.Sources.Directory;

/// <summary>
/// A directory listing to be read once, by whichever thread gets to it first: a prefetch worker that finds it taken
/// moves on instead of waiting (it did with <see cref="Lazy{T}"/>), and the walk, when it needs a listing a worker is
/// still reading, blocks at once rather than spinning for a core the worker needs (two cores, three threads).
/// </summary>
internal sealed class PendingListing(Func<DirectoryListing> load)
{
    private readonly object _gate = new();
    private int _claimed;
    private DirectoryListing? _result;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;
    private bool _finished;

    /// <summary>Reads the listing unless another thread claimed it first; false (and nothing done) then.</summary>
    public bool TryRun()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return false;
        }

        // A load records unreadable directories in the listing; anything else it throws is kept for the walk to
        // rethrow (a worker must not die of it, and the walk must not wait forever for a result never set).
        DirectoryListing? result = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
        try
        {
            result = load();
        }
        catch (Exception e)
        {
            error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
        }

        lock (_gate)
        {
            _result = result;
            _error = error;
            _finished = true;
            Monitor.PulseAll(_gate);
        }

        return true;
    }

    /// <summary>The listing: read now if nobody started it, else waited for.</summary>
    public DirectoryListing Value
    {
        get
        {
            if (!TryRun())
            {
                lock (_gate)
                {
                    while (!_finished)
                    {
                        Monitor.Wait(_gate);
                    }
                }
            }

            _error?.Throw();
            return _result!;
        }
    }
}
