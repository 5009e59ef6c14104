using System.Collections.Concurrent;

namespace Footprint.Sources.Directory;

/// <summary>
/// Lists and stats directories ahead of the walk on every core, so the one-at-a-time, sorted walk of
/// <see cref="DiskView"/> mostly finds its next directory already read. When the walk enters a directory, its
/// subdirectories are scheduled, first subdirectory on top of a stack: the workers take the most recently scheduled
/// first, which is close to the walk's own depth-first order. The walk never waits for a directory nobody started:
/// it reads it itself (<see cref="Lazy{T}"/> runs each load once, whoever asks first). At most
/// <see cref="MaxScheduled"/> directories are read ahead, so memory does not grow with the tree.
/// </summary>
internal sealed class DirectoryPrefetcher : IDisposable
{
    private const int MaxScheduled = 2048;

    private readonly Func<string, DirectoryListing> _load;
    private readonly Dictionary<string, Lazy<DirectoryListing>> _scheduled = new(StringComparer.Ordinal);
    private readonly ConcurrentStack<Lazy<DirectoryListing>> _work = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;

    public DirectoryPrefetcher(Func<string, DirectoryListing> load)
    {
        _load = load;

        // The walk's own thread reads too (what it needs before a worker got to it), so one worker per core.
        _workers = new Thread[Math.Max(1, Environment.ProcessorCount)];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = "footprint-dir-prefetch" };
            _workers[i].Start();
        }
    }

    /// <summary>The listing of <paramref name="dir"/>: read ahead if it was scheduled, else read now.</summary>
    public DirectoryListing Get(string dir)
        => _scheduled.Remove(dir, out var pending) ? pending.Value : _load(dir);

    /// <summary>Reads these directories ahead, in this order of preference (the first is wanted first).</summary>
    public void Schedule(IReadOnlyList<string> dirs)
    {
        for (var i = dirs.Count - 1; i >= 0; i--)
        {
            if (_scheduled.Count >= MaxScheduled)
            {
                return;
            }

            var dir = dirs[i];
            var pending = new Lazy<DirectoryListing>(() => _load(dir), LazyThreadSafetyMode.ExecutionAndPublication);
            if (_scheduled.TryAdd(dir, pending))
            {
                _work.Push(pending);
                _ready.Release();
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _ready.Release(_workers.Length);
        foreach (var w in _workers)
        {
            w.Join();
        }

        _ready.Dispose();
        _stop.Dispose();
    }

    private void Work()
    {
        while (true)
        {
            try
            {
                _ready.Wait(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_work.TryPop(out var pending))
            {
                // A load records its own failures in the listing; nothing to catch here.
                _ = pending.Value;
            }
        }
    }
}
