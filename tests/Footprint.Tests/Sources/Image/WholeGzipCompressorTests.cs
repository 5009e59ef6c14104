using System.IO.Compression;
using Footprint.Sources.Image;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Image;

public sealed class WholeGzipCompressorTests
{
    /// <summary>
    /// The push size of a layer is a property of its bytes: before, the same layer read through the read-ahead thread
    /// (256 KiB reads) and through the tar reader (its own read sizes) compressed to sizes 53 bytes apart.
    /// </summary>
    [Fact]
    public void Should_give_the_same_size_and_digest_however_the_layer_is_cut_into_reads()
    {
        var layer = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        using (var inflate = new GZipStream(new MemoryStream(layer), CompressionMode.Decompress))
        using (var tar = new MemoryStream())
        {
            inflate.CopyTo(tar);
            layer = tar.ToArray();
        }

        PushSize Compress(Func<int, int> nextCut)
        {
            using var compressor = new WholeGzipCompressor();
            for (var at = 0; at < layer.Length;)
            {
                var n = Math.Min(layer.Length - at, nextCut(at));
                compressor.Accept(layer.AsSpan(at, n), at);
                at += n;
            }

            return compressor.Complete(layer.Length);
        }

        var random = new Random(3);
        var results = new[]
        {
            Compress(_ => 256 * 1024),
            Compress(_ => 512),
            Compress(_ => 1 << 20),
            Compress(_ => random.Next(1, 200_000)),
        };
        Assert.All(results, r => Assert.Equal(results[0], r));

        // And it is a real gzip stream of the layer: its size is within a few percent of GNU gzip -6's.
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("layer.tar"), layer);
        var gnu = long.Parse(Tool.Shell($"gzip -6 -c '{dir.File("layer.tar")}' | wc -c").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(results[0].Bytes, gnu * 0.95, gnu * 1.05);
    }
}
