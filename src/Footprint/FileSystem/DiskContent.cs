namespace Footprint.FileSystem;

/// <summary>A file of a directory source, read from disk when asked.</summary>
public sealed class DiskContent(string fullPath) : IFileContent
{
    public bool IsComplete => true;

    public string FullPath { get; } = fullPath;

    public Stream Open() => new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
}
