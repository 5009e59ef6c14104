namespace Footprint.FileSystem;

/// <summary>
/// The data of a regular file: one instance per inode, so hard links share it and are counted once.
/// </summary>
public sealed class FileData
{
    public FileData(long sizeBytes, long dataBytes, int layerIndex, long offset)
    {
        SizeBytes = sizeBytes;
        DataBytes = dataBytes;
        LayerIndex = layerIndex;
        Offset = offset;
    }

    /// <summary>Apparent size.</summary>
    public long SizeBytes { get; }

    /// <summary>Bytes that occupy storage (smaller than <see cref="SizeBytes"/> for sparse files).</summary>
    public long DataBytes { get; }

    /// <summary>The layer that wrote these bytes.</summary>
    public int LayerIndex { get; }

    /// <summary>Offset of the tar header (or 0 for directory sources), as evidence.</summary>
    public long Offset { get; }

    /// <summary>Number of paths (in the owning tree) that name this inode.</summary>
    public int LinkCount { get; internal set; } = 1;

    /// <summary>Content, when the source could provide it (captured during the layer pass, or on disk).</summary>
    public IFileContent? Content { get; internal set; }
}
