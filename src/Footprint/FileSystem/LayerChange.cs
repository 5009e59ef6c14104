namespace Footprint.FileSystem;

/// <summary>What one layer did to the view below it (dive's added / modified / removed, plus waste).</summary>
public sealed class LayerChange
{
    public int LayerIndex { get; init; }

    /// <summary>Regular-file bytes this layer stores (hard links once).</summary>
    public long StoredBytes { get; internal set; }

    public long StoredFiles { get; internal set; }

    /// <summary>Bytes of files at paths no lower layer had.</summary>
    public long AddedBytes { get; internal set; }

    public long AddedFiles { get; internal set; }

    /// <summary>Bytes of files that replace a lower layer's file at the same path.</summary>
    public long ModifiedBytes { get; internal set; }

    public long ModifiedFiles { get; internal set; }

    /// <summary>Bytes of lower files hidden by this layer's whiteouts and opaque directories.</summary>
    public long RemovedBytes { get; internal set; }

    public long RemovedFiles { get; internal set; }

    /// <summary>
    /// Bytes this layer stores that the final view does not show (overwritten or deleted later):
    /// every copy of a path except the one kept (the dive#684 mistake is to count the kept one too).
    /// </summary>
    public long WastedBytes { get; internal set; }

    public long WastedFiles { get; internal set; }
}
