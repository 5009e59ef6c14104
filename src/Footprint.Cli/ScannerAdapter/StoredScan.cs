namespace Footprint.Cli.ScannerAdapter;

/// <summary>A scan as the store holds it: its state (queued, running, done, failed), the artifact JSON, and its report or error.</summary>
internal sealed record StoredScan(string State, string Artifact, byte[]? Report, string? Error);
