namespace Footprint.Reports.Comparisons;

/// <summary>
/// One image layer in a diff. Layers are matched from the bottom by diffID: a layer is shared while it and every layer
/// below it are the same in both images (a layer's meaning depends on what lies under it); above the first
/// difference, the old image's layers are removed and the new image's are added. The byte and file figures are the
/// layer's own (measure's per-layer usage): what it adds, modifies and removes over the layers below it.
/// </summary>
/// <param name="Status">shared, added or removed.</param>
/// <param name="Index">The layer's index in its image (the new image's for shared and added layers).</param>
/// <param name="DiffId">The layer's diffID (digest of its uncompressed tar).</param>
/// <param name="DownloadBytes">What pulling the layer transfers.</param>
/// <param name="AddedBytes">Bytes of files the layer adds.</param>
/// <param name="AddedFiles">Files the layer adds.</param>
/// <param name="ModifiedBytes">Bytes of files the layer replaces.</param>
/// <param name="ModifiedFiles">Files the layer replaces.</param>
/// <param name="RemovedBytes">Bytes of files the layer deletes (whiteouts).</param>
/// <param name="RemovedFiles">Files the layer deletes.</param>
public sealed record LayerDiff(
    string Status,
    int Index,
    string? DiffId,
    long? DownloadBytes,
    long AddedBytes,
    long AddedFiles,
    long ModifiedBytes,
    long ModifiedFiles,
    long RemovedBytes,
    long RemovedFiles);
