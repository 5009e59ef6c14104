namespace Footprint.FileSystem;

/// <summary>Bytes kept in memory while a layer stream went past (bounded by the capture limit).</summary>
public sealed class CapturedContent(byte[] bytes, bool isComplete) : IFileContent
{
    public bool IsComplete { get; } = isComplete;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public Stream Open() => new MemoryStream(bytes, writable: false);
}
