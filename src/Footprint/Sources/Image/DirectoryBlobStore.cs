namespace Footprint.Sources.Image;

internal sealed class DirectoryBlobStore(string root) : IBlobStore
{
    public string Describe(string name) => Path.Combine(root, name);

    public bool Contains(string name) => Resolve(name) is { } p && File.Exists(p);

    public long? LengthOf(string name) => Resolve(name) is { } p && File.Exists(p) ? new FileInfo(p).Length : null;

    public Stream Open(string name)
        => new FileStream(Resolve(name) ?? throw new FileNotFoundException(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    public byte[] ReadAll(string name, long maxBytes)
    {
        var len = LengthOf(name) ?? throw new FileNotFoundException($"{Describe(name)}: missing");
        if (len > maxBytes)
        {
            throw new Formats.FootprintFormatException(Describe(name), null, $"{len} bytes, more than the {maxBytes} allowed for metadata");
        }

        return File.ReadAllBytes(Resolve(name)!);
    }

    public FileSystem.FileStamp? Stamp(string name, Stream opened)
        => opened is FileStream file ? FileSystem.FileStamp.Of(file.SafeFileHandle, file.Name, 0, file.Length) : null;

    public void Dispose()
    {
    }

    private string? Resolve(string name)
    {
        var n = FileSystem.ImagePath.Normalize(name);
        return n is null || n.Length == 0 ? null : Path.Combine(root, n);
    }
}
