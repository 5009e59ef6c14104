using Footprint.Formats;
using Footprint.Formats.Compression;

namespace Footprint.Tests.Formats.Compression;

public sealed partial class DecompressionTests
{
    private static string DecompressToSha(string path, DecompressionLimits limits, out CompressionKind kind)
    {
        using FileStream file = File.OpenRead(path);
        using Stream data = Decompression.Open(file, path, limits, out kind);
        return ExternalTools.Sha256(data);
    }

    public sealed class Detect
    {
        [Theory]
        [InlineData("1f8b08", CompressionKind.Gzip)]
        [InlineData("fd377a585a00", CompressionKind.Xz)]
        [InlineData("28b52ffd", CompressionKind.Zstd)]
        [InlineData("425a6839", CompressionKind.Bzip2)]
        [InlineData("1f8c08", CompressionKind.None)]      // near miss of gzip
        [InlineData("fd377a585a01", CompressionKind.None)] // near miss of xz
        [InlineData("28b52ffe", CompressionKind.None)]    // near miss of zstd
        [InlineData("425a", CompressionKind.None)]        // "BZ" alone
        [InlineData("", CompressionKind.None)]
        [InlineData("2e2f00000000", CompressionKind.None)] // a tar header starting with "./"
        public void Should_RecogniseMagic_When_GivenHead(string hex, CompressionKind expected)
        {
            Assert.Equal(expected, Decompression.Detect(Convert.FromHexString(hex)));
        }
    }

    public sealed class Open
    {
        [Theory]
        [InlineData("gzip -c", CompressionKind.Gzip)]
        [InlineData("xz -c", CompressionKind.Xz)]
        [InlineData("zstd -q -c", CompressionKind.Zstd)]
        [InlineData("bzip2 -c", CompressionKind.Bzip2)]
        [InlineData("cat", CompressionKind.None)]
        public void Should_ReturnOriginalBytes_When_InputIsCompressed(string compressor, CompressionKind expectedKind)
        {
            ExternalTools.Require(compressor.Split(' ')[0]);
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, $"(head -c 3000000 /dev/urandom; seq 1 300000) > plain && {compressor} plain > packed");

            string sha = DecompressToSha(tmp["packed"], DecompressionLimits.Default, out CompressionKind kind);

            Assert.Equal(expectedKind, kind);
            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), sha);
        }

        [Theory]
        [InlineData("gzip -c", CompressionKind.Gzip)]
        [InlineData("xz -c", CompressionKind.Xz)]
        [InlineData("zstd -q -c", CompressionKind.Zstd)]
        [InlineData("bzip2 -c", CompressionKind.Bzip2)]
        public void Should_DetectAndDecompress_When_InputIsNotSeekable(string compressor, CompressionKind expectedKind)
        {
            ExternalTools.Require(compressor.Split(' ')[0]);
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "seq 1 200000 > plain");

            using System.Diagnostics.Process pipe = ExternalTools.StartPipe(tmp.Path, $"{compressor} plain");
            Stream stdout = pipe.StandardOutput.BaseStream;
            Assert.False(stdout.CanSeek);
            string sha;
            using (Stream data = Decompression.Open(stdout, "pipe", DecompressionLimits.Default, out CompressionKind kind))
            {
                Assert.Equal(expectedKind, kind);
                sha = ExternalTools.Sha256(data);
            }

            pipe.WaitForExit();
            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), sha);
        }

        [Fact]
        public void Should_DecodeEveryMember_When_GzipHasSeveralMembers()
        {
            ExternalTools.Require("gzip");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, """
                seq 1 1000 > a && head -c 100000 /dev/urandom > b
                gzip -c a > multi.gz && gzip -c b >> multi.gz && cat a b > plain
                gzip -dc multi.gz | cmp - plain
                """);

            string sha = DecompressToSha(tmp["multi.gz"], DecompressionLimits.Default, out _);

            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), sha);
        }

        [Theory]
        [InlineData("gzip -c")]
        [InlineData("xz -c")]
        [InlineData("zstd -q -c")]
        [InlineData("bzip2 -c")]
        public void Should_ThrowWithCompressedOffset_When_InputIsTruncated(string compressor)
        {
            ExternalTools.Require(compressor.Split(' ')[0]);
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, $"head -c 2000000 /dev/urandom > plain && {compressor} plain > packed && head -c $(( $(stat -c %s packed) / 2 )) packed > cut");

            var ex = Assert.Throws<FootprintFormatException>(() => DecompressToSha(tmp["cut"], DecompressionLimits.Default, out _));

            Assert.Contains(tmp["cut"], ex.Message);
            Assert.NotNull(ex.Offset);
            Assert.Contains($"offset {ex.Offset}", ex.Message);
        }

        // gzip -d says "decompression OK, trailing garbage ignored" (exit 2, a warning): the output is complete and
        // verified, so it is a warning naming the offset where the garbage starts, not an error.
        [Fact]
        public void Should_WarnWithOffset_When_GarbageFollowsGzip()
        {
            ExternalTools.Require("gzip");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "seq 1 1000 > plain && gzip -c plain > g.gz && printf 'this is not gzip at all' >> g.gz");
            long garbageAt = new FileInfo(tmp["g.gz"]).Length - "this is not gzip at all".Length;
            var warnings = new List<(long Offset, string Message)>();

            string sha;
            using (FileStream file = File.OpenRead(tmp["g.gz"]))
            using (Stream data = Decompression.Open(file, tmp["g.gz"], DecompressionLimits.Default, out _, onWarning: (o, m) => warnings.Add((o, m))))
            {
                sha = ExternalTools.Sha256(data);
            }

            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), sha);
            var (offset, message) = Assert.Single(warnings);
            Assert.Equal(garbageAt, offset);
            Assert.Contains($"offset {garbageAt}", message);
        }

        [Fact]
        public void Should_ThrowBomb_When_RatioExceedsDefaultLimit()
        {
            ExternalTools.Require("gzip");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "head -c 300M /dev/zero | gzip -c > bomb.gz");

            var ex = Assert.Throws<FootprintFormatException>(() => DecompressToSha(tmp["bomb.gz"], DecompressionLimits.Default, out _));

            Assert.Contains("decompression bomb", ex.Message);
            Assert.Contains("ratio", ex.Message);
            Assert.Contains(tmp["bomb.gz"], ex.Message);
            Assert.InRange(ex.Offset!.Value, DecompressionLimits.Default.RatioGraceBytes, 300L << 20);
        }

        [Fact]
        public void Should_ThrowBomb_When_SmallInputExceedsCustomRatio()
        {
            ExternalTools.Require("zstd");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "head -c 2M /dev/zero | zstd -q -c > small.zst");
            var limits = new DecompressionLimits { MaxRatio = 100, RatioGraceBytes = 64 << 10 };

            var ex = Assert.Throws<FootprintFormatException>(() => DecompressToSha(tmp["small.zst"], limits, out _));

            Assert.Contains("decompression bomb", ex.Message);
        }

        [Fact]
        public void Should_Throw_When_OutputExceedsMaxOutputBytes()
        {
            ExternalTools.Require("xz");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "head -c 3000000 /dev/urandom | xz -c > random.xz");
            var limits = new DecompressionLimits { MaxOutputBytes = 1_000_000 };

            var ex = Assert.Throws<FootprintFormatException>(() => DecompressToSha(tmp["random.xz"], limits, out _));

            Assert.Contains("exceeds the limit of 1000000 bytes", ex.Message);
        }

        [Fact]
        public void Should_PassSmallCompressibleInput_When_WithinGrace()
        {
            ExternalTools.Require("gzip");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "head -c 10M /dev/zero > plain && gzip -c plain > zeros.gz");

            string sha = DecompressToSha(tmp["zeros.gz"], DecompressionLimits.Default, out _);

            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), sha);
        }
    }
}
