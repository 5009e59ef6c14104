using System.Security.Cryptography;
using Footprint.Sources.Image;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Image;

/// <summary>The exact, all-cores push size: a valid gzip stream of every byte, whatever the number of cores.</summary>
public sealed class ChunkedGzipCompressorTests
{
    [Fact]
    public void Should_write_one_gzip_member_that_gunzip_restores_and_whose_digest_it_reports()
    {
        using var dir = new TempDir();
        var layer = SampledGzipEstimatorTests.Extract("debian/two.docker.tar", "6fca80533cde5fdc89576acb13cdc808816524905d10986ce136262c7b270f20.tar", dir);
        var gz = dir.File("layer.tar.gz");
        PushSize push;
        using (var copy = File.Create(gz))
        {
            using var compressor = new ChunkedGzipCompressor(copy);
            var bytes = File.ReadAllBytes(layer);

            // Uneven pieces, so chunk boundaries fall inside them.
            for (var at = 0; at < bytes.Length; at += 77_777)
            {
                compressor.Accept(bytes.AsSpan(at, Math.Min(77_777, bytes.Length - at)), at);
            }

            push = compressor.Complete(bytes.Length);
        }

        Assert.True(new FileInfo(layer).Length > 3 * ChunkedGzipCompressor.ChunkBytes);
        Assert.False(push.Estimated);
        Assert.Equal(new FileInfo(gz).Length, push.Bytes);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(gz))), push.Digest);

        // gzip -t checks the CRC-32 and ISIZE trailer; the round trip checks every byte.
        Tool.Output("gzip", "-t", gz);
        Assert.Equal(Tool.Shell($"sha256sum < '{layer}'"), Tool.Shell($"gzip -dc '{gz}' | sha256sum"));
        var gzip = SampledGzipEstimatorTests.GzipSix(layer);
        Assert.True(Math.Abs(push.Bytes - gzip) <= gzip * 3 / 100, $"chunked {push.Bytes}, gzip -6 {gzip}");
    }
}
