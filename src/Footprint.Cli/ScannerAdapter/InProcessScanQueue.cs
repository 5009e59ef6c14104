using System.Threading.Channels;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>The one-node queue: jobs in memory, taken by this process's workers (a restart loses queued jobs; docs/fleet.md).</summary>
internal sealed class InProcessScanQueue
{
    private readonly Channel<ScanJob> _jobs = Channel.CreateUnbounded<ScanJob>();

    public void Enqueue(ScanJob job)
    {
        if (!_jobs.Writer.TryWrite(job))
        {
            throw new InvalidOperationException("the scan queue is closed");
        }
    }

    public ValueTask<ScanJob> DequeueAsync(CancellationToken cancel) => _jobs.Reader.ReadAsync(cancel);
}
