using System.Threading.Channels;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// The one-node queue: scan ids in memory, taken by this process's workers. A restart loses what it held; the jobs
/// are still pending in SQLite and <see cref="Requeue"/> puts them back at start (docs/fleet.md).
/// </summary>
internal sealed class InProcessScanQueue : IScanQueue
{
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>();

    /// <summary>Nothing is redelivered in process: a running scan needs no renewal.</summary>
    public TimeSpan RenewEvery => Timeout.InfiniteTimeSpan;

    public void Enqueue(ScanJob job)
    {
        if (!_ids.Writer.TryWrite(job.Id))
        {
            throw new InvalidOperationException("the scan queue is closed");
        }
    }

    /// <summary>Memory is empty at start: every pending job is queued again.</summary>
    public void Requeue(IReadOnlyList<ScanJob> pending)
    {
        foreach (var job in pending)
        {
            Enqueue(job);
        }
    }

    public async Task<QueuedScan> TakeAsync(CancellationToken cancel) => new(await _ids.Reader.ReadAsync(cancel).ConfigureAwait(false), string.Empty);

    public void Renew(QueuedScan scan)
    {
    }

    public void Acknowledge(QueuedScan scan)
    {
    }
}
