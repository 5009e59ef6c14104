namespace Footprint.Sources.Directory;

/// <summary>
/// Lists and stats directories ahead of the walk on every core, so the one-at-a-time, sorted walk of
/// <see cref="DiskView"/> mostly finds its next directory already read. When the walk enters a directory, its
/// subdirectories are scheduled, last first, and the workers take the oldest scheduled first: the directories the
/// depth-first walk reaches last, far from where it reads now, so a worker and the walk seldom want the same
/// directory at once (the walk then waits for the worker's whole listing; taking the newest first made that the
/// common case). The walk never waits for a directory nobody started:
/// it reads it itself (<see cref="PendingListing"/> runs each load once, whoever asks first). At most
/// <see cref="MaxScheduled"/> directories are read ahead, so memory does not grow with the tree. Idle workers block
/// on a monitor: SemaphoreSlim spins (sched_yield) before it blocks, and with workers idling thousands of times per
/// walk that spinning took a tenth of a host scan's CPU.
/// </summary>
internal sealed class DirectoryPrefetcher : IDisposable
{
    private const int MaxScheduled = 2048;

    private readonly Func<string, DirectoryListing> _load;
    private readonly Dictionary<string, PendingListing> _scheduled = new(StringComparer.Ordinal);
    private readonly Queue<PendingListing> _work = new();
    private readonly object _gate = new();
    private bool _stopped;
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
            var pending = new PendingListing(() => _load(dir));
            if (_scheduled.TryAdd(dir, pending))
            {
                lock (_gate)
                {
                    _work.Enqueue(pending);
                    Monitor.Pulse(_gate);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var w in _workers)
        {
            w.Join();
        }
    }

    private void Work()
    {
        while (true)
        {
            PendingListing pending;
            lock (_gate)
            {
                while (!_stopped && _work.Count == 0)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopped)
                {
                    return;
                }

                pending = _work.Dequeue();
            }

            // Taken by the walk already: it reads that one itself, this worker goes on to the next.
            pending.TryRun();
        }
    }
}
