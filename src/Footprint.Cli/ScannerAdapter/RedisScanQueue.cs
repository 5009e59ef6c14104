using StackExchange.Redis;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// The fleet's queue: a Redis stream read through one consumer group by every instance (docs/fleet.md). An entry holds
/// a scan id only (the job, with Harbor's authorization, is in the store). A worker reads an entry (XREADGROUP, which
/// makes it pending for this instance's consumer), renews it while the scan runs (XCLAIM by its owner resets its idle
/// time), and acknowledges and deletes it (XACK, XDEL) only after the outcome is stored. An entry idle longer than the
/// visibility timeout belongs to a worker that died: any instance takes it over (XAUTOCLAIM) and runs the scan again.
/// </summary>
internal sealed class RedisScanQueue : IScanQueue, IDisposable
{
    public const string StreamKey = "footprint:scans";
    public const string GroupName = "footprint-workers";
    private const string ScanField = "scan";

    /// <summary>Redis answers XREADGROUP without blocking here (the client multiplexes one connection): an empty read waits this long.</summary>
    private static readonly TimeSpan EmptyPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>Entries read per XRANGE page when <see cref="Requeue"/> lists what the stream holds.</summary>
    private const int RangePageEntries = 1000;

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly string _consumer;
    private readonly long _visibilityMs;
    private readonly Lock _cursorLock = new();
    private RedisValue _claimCursor = "0-0";

    /// <summary>Pending jobs the last <see cref="Sweep"/> found missing from the stream (ids).</summary>
    private readonly HashSet<string> _missingBefore = new(StringComparer.Ordinal);

    /// <summary>Connects (HOST:PORT, or a StackExchange.Redis configuration string) and creates the group if needed.</summary>
    public RedisScanQueue(string configuration, string consumer, TimeSpan visibilityTimeout)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("--redis is not HOST:PORT (or a StackExchange.Redis configuration string)");
        }

        // The endpoints only: the configuration may hold a password.
        var where = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        try
        {
            _redis = ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException e)
        {
            throw new IOException($"cannot connect to Redis at {where} ({e.FailureType})");
        }

        _db = _redis.GetDatabase();
        _consumer = consumer;
        _visibilityMs = (long)visibilityTimeout.TotalMilliseconds;
        RenewEvery = visibilityTimeout / 3;
        try
        {
            _db.StreamCreateConsumerGroup(StreamKey, GroupName, "0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance created it first.
        }
    }

    public TimeSpan RenewEvery { get; }

    public void Enqueue(ScanJob job) => _db.StreamAdd(StreamKey, ScanField, job.Id);

    /// <summary>
    /// Queues the pending jobs the stream does not hold: accepted by an instance that died between storing the row and
    /// XADD, or lost by a Redis without persistence. The stream holds unfinished entries only (each is deleted when
    /// acknowledged), so listing it is bounded by the work in flight.
    /// </summary>
    public void Requeue(IReadOnlyList<ScanJob> pending)
    {
        foreach (var job in Missing(pending))
        {
            Enqueue(job);
        }
    }

    /// <summary>
    /// The periodic check while serving (every visibility timeout): pending jobs that were missing from the stream at
    /// the previous sweep too are queued again (their XADD failed, or Redis lost them); a job missing once may be one an
    /// instance has just stored and is about to add, so it waits a period (a double entry would only run it twice: a
    /// result is stored once). Consumers of the group that hold no entry and have been idle longer than
    /// <paramref name="deadAfter"/> are deleted (XGROUP DELCONSUMER), so instances that died leave no names behind; a
    /// live instance reads every 200 ms, and one deleted by mistake is recreated by its next read. Returns what it did.
    /// </summary>
    public (int Requeued, int ConsumersDeleted) Sweep(IReadOnlyList<ScanJob> pending, TimeSpan deadAfter)
    {
        var missing = Missing(pending).ToList();
        var again = missing.Where(j => _missingBefore.Contains(j.Id)).ToList();
        foreach (var job in again)
        {
            Enqueue(job);
        }

        _missingBefore.Clear();
        _missingBefore.UnionWith(missing.Except(again).Select(j => j.Id));

        var deleted = 0;
        foreach (var consumer in _db.StreamConsumerInfo(StreamKey, GroupName))
        {
            if (consumer.Name != _consumer && consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > deadAfter.TotalMilliseconds)
            {
                // DELCONSUMER drops the consumer's pending entries with it: only one that holds none is deleted.
                deleted += _db.StreamDeleteConsumer(StreamKey, GroupName, consumer.Name) == 0 ? 1 : 0;
            }
        }

        return (again.Count, deleted);
    }

    private IEnumerable<ScanJob> Missing(IReadOnlyList<ScanJob> pending)
    {
        if (pending.Count == 0)
        {
            return [];
        }

        var queued = new HashSet<string>(StringComparer.Ordinal);
        RedisValue start = "-";
        while (true)
        {
            var page = _db.StreamRange(StreamKey, start, "+", RangePageEntries);
            foreach (var entry in page)
            {
                if (entry[ScanField] is { IsNull: false } id)
                {
                    queued.Add(id.ToString());
                }
            }

            if (page.Length < RangePageEntries)
            {
                break;
            }

            start = "(" + page[^1].Id;
        }

        return pending.Where(j => !queued.Contains(j.Id));
    }

    public async Task<QueuedScan> TakeAsync(CancellationToken cancel)
    {
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (await ClaimAbandoned().ConfigureAwait(false) is { } abandoned)
            {
                return abandoned;
            }

            var read = await _db.StreamReadGroupAsync(StreamKey, GroupName, _consumer, StreamPosition.NewMessages, count: 1).ConfigureAwait(false);
            if (read.Length > 0 && Scan(read[0]) is { } fresh)
            {
                return fresh;
            }

            await Task.Delay(EmptyPoll, cancel).ConfigureAwait(false);
        }
    }

    public void Renew(QueuedScan scan)
    {
        // Only while this consumer still owns the entry: claiming it back from an instance that took it over would make
        // two owners of one entry.
        var mine = _db.StreamPendingMessages(StreamKey, GroupName, 1, _consumer, scan.Receipt, scan.Receipt);
        if (mine.Length == 1)
        {
            _db.StreamClaimIdsOnly(StreamKey, GroupName, _consumer, 0, [scan.Receipt]);
        }
    }

    public void Acknowledge(QueuedScan scan)
    {
        var batch = _db.CreateTransaction();
        _ = batch.StreamAcknowledgeAsync(StreamKey, GroupName, scan.Receipt);
        _ = batch.StreamDeleteAsync(StreamKey, [scan.Receipt]);
        batch.Execute();
    }

    public void Dispose() => _redis.Dispose();

    /// <summary>One entry pending longer than the visibility timeout (its worker died), now this consumer's; null when there is none.</summary>
    private async Task<QueuedScan?> ClaimAbandoned()
    {
        RedisValue cursor;
        lock (_cursorLock)
        {
            cursor = _claimCursor;
        }

        var claimed = await _db.StreamAutoClaimAsync(StreamKey, GroupName, _consumer, _visibilityMs, cursor, 1).ConfigureAwait(false);
        lock (_cursorLock)
        {
            // XAUTOCLAIM looks at a bounded part of the pending list per call: the cursor walks the rest on later calls.
            _claimCursor = claimed.NextStartId;
        }

        foreach (var entry in claimed.ClaimedEntries)
        {
            if (Scan(entry) is { } scan)
            {
                return scan;
            }
        }

        return null;
    }

    /// <summary>The scan an entry names; an entry without one (not ours) is acknowledged and deleted, never retried.</summary>
    private QueuedScan? Scan(StreamEntry entry)
    {
        var id = entry[ScanField];
        if (id.IsNull)
        {
            Acknowledge(new QueuedScan(string.Empty, entry.Id.ToString()));
            return null;
        }

        return new QueuedScan(id.ToString(), entry.Id.ToString());
    }
}
