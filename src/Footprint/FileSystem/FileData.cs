using Footprint.Formats.Elf;

namespace Footprint.FileSystem;

/// <summary>
/// The data of a regular file: one instance per inode, so hard links share it and are counted once. There is one
/// per file of the image (a million on a big one), so what most files never get (digests, captured content, an ELF
/// summary) is kept in a side object made on first use: the common instance is 56 bytes instead of 80.
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

    /// <summary>Lower-case hex digests of the bytes, when asked for (`sbom --files`): set while the layer streamed, or from disk.</summary>
    public FileDigests? Digests
    {
        get => _extras?.Digests;
        internal set => Extras().Digests = value;
    }

    /// <summary>Content, when the source could provide it (captured during the layer pass, or on disk).</summary>
    public IFileContent? Content
    {
        get => _extras?.Content;
        internal set => Extras().Content = value;
    }

    /// <summary>
    /// ELF facts about these bytes, or null when they are not ELF (or no analyzer asked). For layers read as streams
    /// the summary is computed by the loader while the bytes go past (<see cref="Walk.ContentNeed.Inspect"/>); for
    /// files on disk it is computed here on first ask and kept. One summary per inode, so hard links share it.
    /// </summary>
    public ElfSummary? GetElf()
    {
        if (Volatile.Read(ref _extras) is { } known && Volatile.Read(ref known.Inspected))
        {
            return known.Elf;
        }

        // A disk file is read by random access (headers and the tables they name); bytes captured complete are parsed in place.
        switch (Content)
        {
            case DiskContent disk:
                SetElf(ElfInspector.Inspect(disk.FullPath));
                return _extras!.Elf;
            case CapturedContent { IsComplete: true } captured:
                SetElf(ElfReader.Read(captured.Bytes, SizeBytes));
                return _extras!.Elf;
        }

        return null;
    }

    /// <summary>True once the bytes were inspected (at load time or by <see cref="GetElf"/>).</summary>
    public bool Inspected => Volatile.Read(ref _extras) is { } known && Volatile.Read(ref known.Inspected);

    internal void SetElf(ElfSummary? elf)
    {
        var extras = Extras();
        extras.Elf = elf;
        Volatile.Write(ref extras.Inspected, true);
    }

    /// <summary>
    /// Drops captured bytes (see <see cref="LayeredFileSystem.ReleaseCapturedContent"/>); complete ones are inspected
    /// first, so <see cref="GetElf"/> gives the same answer without them. Content on disk stays: it costs nothing.
    /// </summary>
    internal void ReleaseCapturedContent()
    {
        if (Volatile.Read(ref _extras) is { Content: CapturedContent captured } extras)
        {
            if (captured.IsComplete)
            {
                GetElf();
            }

            extras.Content = null;
        }
    }

    private DataExtras? _extras;

    /// <summary>The side object, made once even if two threads ask at the same time.</summary>
    private DataExtras Extras()
        => Volatile.Read(ref _extras) ?? Interlocked.CompareExchange(ref _extras, new DataExtras(), null) ?? _extras!;

    /// <summary>What only some files get; see the class summary.</summary>
    private sealed class DataExtras
    {
        public bool Inspected;

        public ElfSummary? Elf { get; set; }

        public FileDigests? Digests { get; set; }

        public IFileContent? Content { get; set; }
    }
}
