namespace Footprint.Analyzers.Installed;

public sealed record LayerUsage
{
    public int Index { get; init; }

    public string? Digest { get; init; }

    public long Entries { get; init; }

    public long StoredBytes { get; init; }

    public long StoredFiles { get; init; }

    public long AddedBytes { get; init; }

    public long AddedFiles { get; init; }

    public long ModifiedBytes { get; init; }

    public long ModifiedFiles { get; init; }

    public long RemovedBytes { get; init; }

    public long RemovedFiles { get; init; }

    public long WastedBytes { get; init; }

    public long WastedFiles { get; init; }

    public int Whiteouts { get; init; }

    public int OpaqueDirectories { get; init; }
}
