using System.Runtime.ExceptionServices;

namespace Footprint.Store;

/// <summary>
/// Writes to the cache file that run behind the caller, one at a time and in the order they were queued, so storing a
/// layer (SQLite's page writes and the checkpoint that copies them) overlaps the walk and the analyzers instead of
/// adding to the run (bench/: the first run of an image with an empty cache). Whatever must see them waits with
/// <see cref="Flush"/>. A write's unexpected exception is kept and thrown by the next <see cref="Flush"/>, as it
/// would have been by the write itself.
/// </summary>
internal sealed class BackgroundWrites
{
    private readonly object _lock = new();
    private Task _last = Task.CompletedTask;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Queues <paramref name="write"/> after every write queued before it.</summary>
    public void Queue(Action write)
    {
        lock (_lock)
        {
            // A thread of its own, not the pool's: callers that wait in Flush may be pool threads themselves (a layer
            // read's TryLoad in Parallel.For, several fleet jobs), and a write queued behind them must not wait for the
            // pool to notice and add a thread.
            _last = _last.ContinueWith(_ => Run(write), CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until every write queued so far has finished; throws the first unexpected exception one of them threw (once).</summary>
    public void Flush()
    {
        Task last;
        lock (_lock)
        {
            last = _last;
        }

        last.Wait();
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            failure.Throw();
        }
    }

    private void Run(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }
}
