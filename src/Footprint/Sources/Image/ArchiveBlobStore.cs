namespace Footprint.Sources.Image;

internal sealed class ArchiveBlobStore(ArchiveIndex index) : IBlobStore
{
    public string Describe(string name) => $"{index.ArchivePath}!{name}";

    public bool Contains(string name) => index.Contains(name);

    public long? LengthOf(string name) => index.LengthOf(name);

    public Stream Open(string name) => index.Open(name);

    public byte[] ReadAll(string name, long maxBytes) => index.ReadAll(name, maxBytes);

    public FileSystem.FileStamp? Stamp(string name, Stream opened) => index.Stamp(name);

    public void Dispose() => index.Dispose();
}
