using Footprint.Formats.Elf;

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

    /// <summary>Lower-case hex digests of the bytes, when asked for (`sbom --files`): set while the layer streamed, or from disk.</summary>
    public FileDigests? Digests { get; internal set; }

    /// <summary>Content, when the source could provide it (captured during the layer pass, or on disk).</summary>
    public IFileContent? Content { get; internal set; }

    /// <summary>
    /// ELF facts about these bytes, or null when they are not ELF (or no analyzer asked). For layers read as streams
    /// the summary is computed by the loader while the bytes go past (<see cref="Walk.ContentNeed.Inspect"/>); for
    /// files on disk it is computed here on first ask and kept. One summary per inode, so hard links share it.
    /// </summary>
    public ElfSummary? GetElf()
    {
        if (Volatile.Read(ref _inspected))
        {
            return _elf;
        }

        // A disk file is read by random access (headers and the tables they name); bytes captured complete are parsed in place.
        switch (Content)
        {
            case DiskContent disk:
                SetElf(ElfInspector.Inspect(disk.FullPath));
                return _elf;
            case CapturedContent { IsComplete: true } captured:
                SetElf(ElfReader.Read(captured.Bytes, SizeBytes));
                return _elf;
        }

        return null;
    }

    /// <summary>True once the bytes were inspected (at load time or by <see cref="GetElf"/>).</summary>
    public bool Inspected => Volatile.Read(ref _inspected);

    internal void SetElf(ElfSummary? elf)
    {
        _elf = elf;
        Volatile.Write(ref _inspected, true);
    }

    private ElfSummary? _elf;
    private bool _inspected;
}

/// <summary>SHA-1 (SPDX requires it for files) and SHA-256 of a file's bytes, lower-case hex.</summary>
public sealed record FileDigests(string Sha1, string Sha256)
{
    /// <summary>Digests of a whole stream, read to its end.</summary>
    public static FileDigests Of(Stream stream)
    {
        using var sha1 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        using var sha256 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha1.AppendData(buffer, 0, n);
                sha256.AppendData(buffer, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return new FileDigests(Convert.ToHexStringLower(sha1.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }
}
