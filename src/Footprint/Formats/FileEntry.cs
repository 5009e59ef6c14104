namespace Footprint.Formats;

/// <summary>
/// One entry yielded by a format reader (tar, cpio, squashfs...). Readers know nothing of images:
/// the path is the raw name from the archive; the file system layer normalizes it.
/// </summary>
public sealed record FileEntry
{
    /// <summary>The name as stored in the archive (after PAX / GNU long-name and sparse-name handling).</summary>
    public required string Name { get; init; }

    public required FileKind Kind { get; init; }

    /// <summary>Apparent size in bytes (for sparse files the logical size, not the stored size).</summary>
    public long SizeBytes { get; init; }

    /// <summary>Bytes of data actually present (differs from <see cref="SizeBytes"/> for sparse files); null when equal.</summary>
    public long? DataBytes { get; init; }

    /// <summary>Permission bits and set-id/sticky bits (07777); the type is in <see cref="Kind"/>.</summary>
    public int Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    /// <summary>Symlink target, or for a hard link the archive name of the entry it links to.</summary>
    public string? LinkTarget { get; init; }

    public DateTimeOffset ModificationTime { get; init; }

    /// <summary>Extended attributes (e.g. <c>security.capability</c>) as raw bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = EmptyXattrs;

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    /// <summary>Byte offset of this entry's header in the (decompressed) stream, for error messages and evidence.</summary>
    public long Offset { get; init; }

    internal static readonly IReadOnlyDictionary<string, byte[]> EmptyXattrs = new Dictionary<string, byte[]>();
}
