namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Where accepted scans wait for a worker: in process (one node) or a Redis stream shared by every instance
/// (docs/fleet.md). A queue carries scan ids only; the job itself (with Harbor's authorization) is in the store.
/// </summary>
internal interface IScanQueue
{
    /// <summary>Queues an accepted scan, after its row (and pending job) is stored.</summary>
    void Enqueue(ScanJob job);

    /// <summary>At start: queues again the jobs accepted and never finished that this queue does not hold (lost to a restart or a crash).</summary>
    void Requeue(IReadOnlyList<ScanJob> pending);

    /// <summary>The next scan to run, waiting until there is one; a redelivered scan (its worker died) comes through here too.</summary>
    Task<QueuedScan> TakeAsync(CancellationToken cancel);

    /// <summary>Keeps a scan that is still running from being redelivered (called every <see cref="RenewEvery"/> while it runs).</summary>
    void Renew(QueuedScan scan);

    /// <summary>How often a running scan is renewed; <see cref="Timeout.InfiniteTimeSpan"/> when the queue never redelivers.</summary>
    TimeSpan RenewEvery { get; }

    /// <summary>The scan's outcome is stored: the queue never delivers it again.</summary>
    void Acknowledge(QueuedScan scan);
}
