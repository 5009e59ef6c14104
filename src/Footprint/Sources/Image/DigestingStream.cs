using System.Security.Cryptography;
using Footprint.Formats;

namespace Footprint.Sources.Image;

/// <summary>
/// Passes a stream through unchanged while hashing and counting every byte read, so a layer is verified in the same
/// pass that reads it. Never owns <c>inner</c>: the layer reader disposes the stream it opened.
/// </summary>
internal sealed class DigestingStream(Stream inner, string algorithmOf) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = Digests.CreateHash(algorithmOf);

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        Count += n;
        return n;
    }

    /// <summary>Reads what is left (tar padding after the end-of-archive blocks is part of the blob).</summary>
    public void Drain()
    {
        var sink = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (Read(sink, 0, sink.Length) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(sink);
        }
    }

    /// <summary>The digest of every byte read, as "algorithm:hex".</summary>
    public string Digest() => Digests.Format(algorithmOf, _hash.GetCurrentHash());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
