namespace Footprint.Sources.Image;

/// <summary>Named files of an image container: a directory (OCI layout, skopeo dir) or an uncompressed tar (docker save, OCI archive).</summary>
internal interface IBlobStore : IDisposable
{
    string Describe(string name);

    bool Contains(string name);

    long? LengthOf(string name);

    Stream Open(string name);

    byte[] ReadAll(string name, long maxBytes);

    /// <summary>
    /// The stamp (see <see cref="FileSystem.FileStamp"/>), taken now, of the file <paramref name="opened"/> (a stream
    /// <see cref="Open"/> returned for <paramref name="name"/>) reads the blob from; null when the blob is not a range of a local file.
    /// </summary>
    FileSystem.FileStamp? Stamp(string name, Stream opened) => null;
}
