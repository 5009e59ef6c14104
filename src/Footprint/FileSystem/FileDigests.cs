namespace Footprint.FileSystem;

/// <summary>SHA-1 (SPDX requires it for files) and SHA-256 of a file's bytes, lower-case hex.</summary>
public sealed record FileDigests(string Sha1, string Sha256)
{
    /// <summary>Digests of a whole stream, read to its end.</summary>
    public static FileDigests Of(Stream stream)
    {
        using var hashing = new HashingStream(stream, leaveOpen: true);
        return hashing.Finish();
    }
}
