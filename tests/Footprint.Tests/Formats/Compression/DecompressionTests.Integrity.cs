using Footprint.Formats;
using Footprint.Formats.Compression;

namespace Footprint.Tests.Formats.Compression;

public sealed partial class DecompressionTests
{
    /// <summary>
    /// Damage real compressor output and check the exact outcome: an error naming the file and an offset inside the
    /// damaged region, or a warning naming the offset with output identical to what the tool itself produces.
    /// </summary>
    public sealed class Integrity
    {
        private const string Garbage = "this is not compressed data";

        private sealed record Outcome(string? Sha, FootprintFormatException? Error, List<(long Offset, string Message)> Warnings, CompressionKind Kind);

        private static Outcome Decode(string path)
        {
            var warnings = new List<(long, string)>();
            CompressionKind kind = CompressionKind.None;
            try
            {
                using FileStream file = File.OpenRead(path);
                using Stream data = Decompression.Open(file, path, DecompressionLimits.Default, out kind, onWarning: (o, m) => warnings.Add((o, m)));
                return new Outcome(ExternalTools.Sha256(data), null, warnings, kind);
            }
            catch (FootprintFormatException ex)
            {
                return new Outcome(null, ex, warnings, kind);
            }
        }

        private static FootprintFormatException AssertError(string path, long minOffset, long maxOffset)
        {
            Outcome outcome = Decode(path);
            Assert.True(outcome.Error is not null, $"{path}: expected an error, got output {outcome.Sha}");
            FootprintFormatException ex = outcome.Error!;
            Assert.Contains(path, ex.Message);
            Assert.NotNull(ex.Offset);
            Assert.Contains($"at offset {ex.Offset}:", ex.Message);
            Assert.InRange(ex.Offset!.Value, minOffset, maxOffset);
            return ex;
        }

        private static void Damage(string from, string to, Func<byte[], byte[]> change)
            => File.WriteAllBytes(to, change(File.ReadAllBytes(from)));

        private static byte[] Flip(byte[] data, long at)
        {
            var copy = (byte[])data.Clone();
            copy[at] ^= 0x10;
            return copy;
        }

        /// <summary>300 KB of random bytes then text: stored and compressed deflate blocks, more than one 64 KiB chunk.</summary>
        private static TempDir Compressed(string compressor, string name)
        {
            ExternalTools.Require(compressor.Split(' ')[0]);
            var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, $"(head -c 300000 /dev/urandom; seq 1 100000) > plain && {compressor} < plain > {name}");
            return tmp;
        }

        [Theory]
        [InlineData("gzip -c")]
        [InlineData("gzip -9 -c")]
        [InlineData("pigz -c")]
        public void Should_FailWithOffset_When_GzipDataCrcOrSizeIsFlipped(string compressor)
        {
            using TempDir tmp = Compressed(compressor, "p.gz");
            long length = new FileInfo(tmp["p.gz"]).Length;
            Damage(tmp["p.gz"], tmp["data.gz"], d => Flip(d, length / 2));
            Damage(tmp["p.gz"], tmp["crc.gz"], d => Flip(d, length - 8));
            Damage(tmp["p.gz"], tmp["isize.gz"], d => Flip(d, length - 2));

            AssertError(tmp["data.gz"], length / 2, length);
            Assert.Contains("gzip member at offset 0 fails its CRC-32 check", AssertError(tmp["crc.gz"], length - 8, length - 8).Message);
            Assert.Contains("gzip member at offset 0 fails its size check", AssertError(tmp["isize.gz"], length - 8, length - 8).Message);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        [InlineData(8)]
        [InlineData(9)]
        [InlineData(100)]
        public void Should_FailAtTheEnd_When_GzipIsCut(int cutBytes)
        {
            using TempDir tmp = Compressed("gzip -c", "p.gz");
            long length = new FileInfo(tmp["p.gz"]).Length - cutBytes;
            Damage(tmp["p.gz"], tmp["cut.gz"], d => d[..(int)length]);

            FootprintFormatException ex = AssertError(tmp["cut.gz"], length, length);

            Assert.Contains("truncated", ex.Message);
        }

        [Fact]
        public void Should_DecodeEveryMemberAndCheckEach_When_GzipHasManyMembers()
        {
            using TempDir tmp = Compressed("gzip -c", "one.gz");
            ExternalTools.Bash(tmp.Path, """
                split -b 50000 plain part. && for p in part.*; do gzip -c "$p"; done > many.gz && pigz -c plain >> many.gz
                cat plain plain > twice && gzip -dc many.gz | cmp - twice
                """);
            long length = new FileInfo(tmp["many.gz"]).Length;
            Damage(tmp["many.gz"], tmp["bad.gz"], d => Flip(d, length - 8));

            Outcome good = Decode(tmp["many.gz"]);

            Assert.Equal(ExternalTools.Sha256File(tmp["twice"]), good.Sha);
            Assert.Empty(good.Warnings);
            Assert.Contains("fails its CRC-32 check", AssertError(tmp["bad.gz"], length - 8, length - 8).Message);
        }

        [Theory]
        [InlineData("gzip -c", "p.gz")]
        [InlineData("bzip2 -c", "p.bz2")]
        [InlineData("xz -c", "p.xz")]
        public void Should_WarnWithOffsetAndKeepOutput_When_GarbageFollows(string compressor, string name)
        {
            using TempDir tmp = Compressed(compressor, name);
            long length = new FileInfo(tmp[name]).Length;
            ExternalTools.Bash(tmp.Path, $"cp {name} g && printf '{Garbage}' >> g && cp {name} zg && head -c 100 /dev/zero >> zg && printf '{Garbage}' >> zg");

            Outcome garbage = Decode(tmp["g"]);
            Outcome zerosThenGarbage = Decode(tmp["zg"]);

            foreach (Outcome outcome in new[] { garbage, zerosThenGarbage })
            {
                Assert.Null(outcome.Error);
                Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), outcome.Sha);
                var (offset, message) = Assert.Single(outcome.Warnings);
                Assert.Equal(length, offset);
                Assert.Contains($"offset {length}", message);
            }
        }

        // gzip -d accepts trailing zeros silently (tape padding) and xz calls them stream padding: no warning.
        [Theory]
        [InlineData("gzip -c", "p.gz")]
        [InlineData("bzip2 -c", "p.bz2")]
        [InlineData("xz -c", "p.xz")]
        public void Should_AcceptSilently_When_OnlyZerosFollow(string compressor, string name)
        {
            using TempDir tmp = Compressed(compressor, name);
            ExternalTools.Bash(tmp.Path, $"cp {name} z && head -c 100000 /dev/zero >> z");

            Outcome outcome = Decode(tmp["z"]);

            Assert.Null(outcome.Error);
            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), outcome.Sha);
            Assert.Empty(outcome.Warnings);
        }

        // xz -dc decodes concatenated streams, with stream padding (multiples of 4 zero bytes) between them; so do
        // bzip2 -dc and zstd -dc. SharpCompress's XZStream alone stops after the first stream.
        [Theory]
        [InlineData("xz -c", "p.xz", "")]
        [InlineData("xz -c", "p.xz", "head -c 8 /dev/zero >> two && ")]
        [InlineData("xz -C crc32 -c", "p.xz", "")]
        [InlineData("bzip2 -c", "p.bz2", "")]
        [InlineData("zstd -q -c", "p.zst", "")]
        public void Should_DecodeEveryStream_When_StreamsAreConcatenated(string compressor, string name, string padding)
        {
            using TempDir tmp = Compressed(compressor, name);
            ExternalTools.Bash(tmp.Path, $"cp {name} two && {padding}cat {name} >> two && cat plain plain > twice");

            Outcome outcome = Decode(tmp["two"]);

            Assert.Null(outcome.Error);
            Assert.Equal(ExternalTools.Sha256File(tmp["twice"]), outcome.Sha);
            Assert.Empty(outcome.Warnings);
        }

        // Stream padding must be a multiple of 4 bytes (xz file format §2.2): 3 zeros then a stream is not padding.
        [Fact]
        public void Should_Warn_When_XzPaddingIsNotAMultipleOfFour()
        {
            using TempDir tmp = Compressed("xz -c", "p.xz");
            long length = new FileInfo(tmp["p.xz"]).Length;
            ExternalTools.Bash(tmp.Path, "cp p.xz two && head -c 3 /dev/zero >> two && cat p.xz >> two");

            Outcome outcome = Decode(tmp["two"]);

            Assert.Equal(ExternalTools.Sha256File(tmp["plain"]), outcome.Sha);
            Assert.Equal(length, Assert.Single(outcome.Warnings).Offset);
        }

        // The check sits just before the index; the stream footer's backward size gives the index size.
        [Theory]
        [InlineData("crc32", 4)]
        [InlineData("crc64", 8)]
        [InlineData("sha256", 32)]
        public void Should_FailWithOffset_When_XzBlockCheckOrDataIsFlipped(string check, int checkBytes)
        {
            using TempDir tmp = Compressed($"xz -C {check} -c", "p.xz");
            byte[] packed = File.ReadAllBytes(tmp["p.xz"]);
            long indexBytes = (BitConverter.ToUInt32(packed, packed.Length - 8) + 1) * 4L;
            long checkEnd = packed.Length - 12 - indexBytes;
            Damage(tmp["p.xz"], tmp["first.xz"], d => Flip(d, checkEnd - checkBytes));
            Damage(tmp["p.xz"], tmp["last.xz"], d => Flip(d, checkEnd - 1));
            Damage(tmp["p.xz"], tmp["data.xz"], d => Flip(d, packed.Length / 2));
            Damage(tmp["p.xz"], tmp["footer.xz"], d => Flip(d, packed.Length - 11));

            AssertError(tmp["first.xz"], checkEnd - checkBytes, packed.Length);
            AssertError(tmp["last.xz"], checkEnd - 1, packed.Length);
            AssertError(tmp["data.xz"], packed.Length / 2, packed.Length);
            AssertError(tmp["footer.xz"], packed.Length - 12, packed.Length);
        }

        // zstd --check writes a 4-byte XXH64 content checksum at the frame end; ZstdSharp verifies it.
        [Fact]
        public void Should_FailWithOffset_When_ZstdChecksumOrDataIsFlipped()
        {
            using TempDir tmp = Compressed("zstd -q --check -c", "p.zst");
            long length = new FileInfo(tmp["p.zst"]).Length;
            Damage(tmp["p.zst"], tmp["sum.zst"], d => Flip(d, length - 1));
            Damage(tmp["p.zst"], tmp["data.zst"], d => Flip(d, length / 2));

            Assert.Contains("checksum", AssertError(tmp["sum.zst"], length / 2, length).Message);
            AssertError(tmp["data.zst"], length / 2, length);
        }

        // A bzip2 stream is "BZh" + level, then each block's 48-bit magic and 32-bit CRC (bytes 10-13 for the first
        // block), and ends with the combined CRC in the last 5 bytes (the last byte may hold padding bits).
        [Fact]
        public void Should_FailWithOffset_When_Bzip2BlockOrStreamCrcIsFlipped()
        {
            using TempDir tmp = Compressed("bzip2 -c", "p.bz2");
            long length = new FileInfo(tmp["p.bz2"]).Length;
            Damage(tmp["p.bz2"], tmp["block.bz2"], d => Flip(d, 10));
            Damage(tmp["p.bz2"], tmp["stream.bz2"], d => Flip(d, length - 2));
            Damage(tmp["p.bz2"], tmp["data.bz2"], d => Flip(d, length / 2));

            AssertError(tmp["block.bz2"], 10, length);
            AssertError(tmp["stream.bz2"], length - 5, length);
            AssertError(tmp["data.bz2"], length / 2, length);
        }

        [Theory]
        [InlineData("xz -c", "p.xz")]
        [InlineData("zstd -q -c", "p.zst")]
        [InlineData("bzip2 -c", "p.bz2")]
        public void Should_FailAtTheEnd_When_CutBy1Or8Bytes(string compressor, string name)
        {
            using TempDir tmp = Compressed(compressor, name);
            long length = new FileInfo(tmp[name]).Length;
            Damage(tmp[name], tmp["cut1"], d => d[..^1]);
            Damage(tmp[name], tmp["cut8"], d => d[..^8]);

            AssertError(tmp["cut1"], length - 1 - (128 << 10), length - 1);
            AssertError(tmp["cut8"], length - 8 - (128 << 10), length - 8);
        }

        // zstd -d refuses bytes after the last frame ("unsupported format"); so does the zstd path here.
        [Fact]
        public void Should_Fail_When_GarbageFollowsZstd()
        {
            using TempDir tmp = Compressed("zstd -q -c", "p.zst");
            ExternalTools.Bash(tmp.Path, $"cp p.zst g && printf '{Garbage}' >> g");

            AssertError(tmp["g"], 0, new FileInfo(tmp["g"]).Length);
        }

        /// <summary>
        /// 20 single-bit flips at random offsets (fixed seed) of a real Alpine minirootfs .tar.gz: each must be an
        /// error, or give the original bytes (a flipped mtime, XFL or OS byte in the header changes nothing). Never
        /// different output without an error: that is what `sbom --files` would have hashed.
        /// </summary>
        [Fact]
        public void Should_FailOrKeepOutput_When_RandomBytesOfARealTarGzAreFlipped()
        {
            string original = Footprint.Tests.TestSupport.Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
            using var tmp = new TempDir();
            byte[] packed = File.ReadAllBytes(original);
            string sha = Decode(original).Sha!;
            var random = new Random(20261206);
            int errors = 0;
            for (int i = 0; i < 20; i++)
            {
                // Offsets 0-1 are the gzip magic: flipped, the file is no longer gzip (and no longer a tar either).
                long at = random.NextInt64(2, packed.Length);
                byte[] flipped = (byte[])packed.Clone();
                flipped[at] ^= (byte)(1 << random.Next(8));
                File.WriteAllBytes(tmp["flipped.tar.gz"], flipped);

                Outcome outcome = Decode(tmp["flipped.tar.gz"]);

                Assert.True(outcome.Error is not null || outcome.Sha == sha, $"flip at {at}: different output without an error");
                errors += outcome.Error is null ? 0 : 1;
            }

            Assert.Equal(20, errors);
        }
    }
}
