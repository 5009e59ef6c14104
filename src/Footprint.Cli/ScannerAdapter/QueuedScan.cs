namespace Footprint.Cli.ScannerAdapter;

/// <summary>A scan taken from a queue: its id, and the queue's own handle on it (the Redis stream entry id; empty in process).</summary>
internal sealed record QueuedScan(string ScanId, string Receipt);
