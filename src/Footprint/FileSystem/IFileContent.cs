namespace Footprint.FileSystem;

/// <summary>Lazy access to a file's bytes. Captured content is bounded; disk content is opened on demand.</summary>
public interface IFileContent
{
    /// <summary>True when the whole file is available, false when only its first bytes were kept.</summary>
    bool IsComplete { get; }

    Stream Open();
}

/// <summary>Bytes kept in memory while a layer stream went past (bounded by the capture limit).</summary>
public sealed class CapturedContent(byte[] bytes, bool isComplete) : IFileContent
{
    public bool IsComplete { get; } = isComplete;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public Stream Open() => new MemoryStream(bytes, writable: false);
}

/// <summary>A file of a directory source, read from disk when asked.</summary>
public sealed class DiskContent(string fullPath) : IFileContent
{
    public bool IsComplete => true;

    public string FullPath { get; } = fullPath;

    public Stream Open() => new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
}
