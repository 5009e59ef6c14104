namespace Footprint.Sources.Image;

/// <summary>Named files of an image container: a directory (OCI layout, skopeo dir) or an uncompressed tar (docker save, OCI archive).</summary>
internal interface IBlobStore : IDisposable
{
    string Describe(string name);

    bool Contains(string name);

    long? LengthOf(string name);

    Stream Open(string name);

    byte[] ReadAll(string name, long maxBytes);
}
