using System.Formats.Tar;
using System.IO.Compression;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

/// <summary>Decode one layer blob with footprint's decoders and read its tar headers (entry data is skipped by TarReader).</summary>
internal static class Layers
{
    public static (long Entries, long Bytes) Walk(Stream blob)
    {
        var head = new byte[6];
        var buffered = new BufferedStream(blob, 1 << 16);
        var n = buffered.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var replay = new ConcatenatedStream(head.AsMemory(0, n), buffered);
        using Stream decoded = head.AsSpan(0, n) switch
        {
            [0x1F, 0x8B, ..] => new GZipStream(replay, CompressionMode.Decompress),
            [0x28, 0xB5, 0x2F, 0xFD, ..] => new DecompressionStream(replay, 128 << 10),
            [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] => new XZStream(replay),
            _ => replay,
        };
        var counting = new CountingStream(decoded);
        long entries = 0;
        using (var tar = new TarReader(counting, leaveOpen: true))
        {
            while (tar.GetNextEntry() is not null)
            {
                entries++;
            }
        }

        counting.CopyTo(Stream.Null);
        return (entries, counting.Count);
    }
}
