namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Scan states, results and pending jobs: SQLite for one node, PostgreSQL for instances sharing a Redis queue
/// (docs/fleet.md). A result is stored once per scan id: a second outcome for a finished scan is ignored.
/// </summary>
internal interface IScanStore : IDisposable
{
    /// <summary>Records the scan as queued and its job as pending, in one transaction, before the 202 is sent.</summary>
    void Accept(ScanJob job, string artifactJson);

    /// <summary>
    /// The pending job of a scan a worker is about to run (counted as an attempt where the store keeps count), or null
    /// when there is nothing to run: unknown, or already finished (a redelivery of a scan another worker completed).
    /// </summary>
    ScanJob? Begin(string id, string worker);

    /// <summary>Stores the report and deletes the pending job, unless the scan already finished.</summary>
    void Complete(string id, byte[] report);

    /// <summary>Stores the failure (a message without credentials) and deletes the pending job, unless the scan already finished.</summary>
    void Fail(string id, string message);

    /// <summary>Jobs accepted and not finished: handed to <see cref="IScanQueue.Requeue"/> at start.</summary>
    IReadOnlyList<ScanJob> Pending();

    /// <summary>The scan; null for an unknown id.</summary>
    StoredScan? Find(string id);
}
