using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>A read-only pass-through that hashes what is read (SHA-1, SHA-256); <see cref="Finish"/> drains and hashes the rest.</summary>
internal sealed class HashingStream(Stream inner, bool leaveOpen = false) : ReadOnlyStream
{
    private readonly System.Security.Cryptography.IncrementalHash _sha1 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
    private readonly System.Security.Cryptography.IncrementalHash _sha256 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _sha1.AppendData(buffer[..n]);
        _sha256.AppendData(buffer[..n]);
        return n;
    }

    /// <summary>Reads the rest of the stream and returns the digests of everything.</summary>
    public FileDigests Finish()
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return new FileDigests(Convert.ToHexStringLower(_sha1.GetHashAndReset()), Convert.ToHexStringLower(_sha256.GetHashAndReset()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha1.Dispose();
            _sha256.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
