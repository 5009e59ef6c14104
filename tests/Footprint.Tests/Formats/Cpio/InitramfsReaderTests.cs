using System.IO.Compression;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Cpio;

public sealed class InitramfsReaderTests
{
    public static TheoryData<string> FixtureImages =>
    [
        "tree.newc.cpio", "tree.newc.cpio.gz", "tree.newc.cpio.xz", "tree.newc.cpio.lzma", "tree.newc.cpio.zst",
        "tree.newc.cpio.lz4", "tree.newc.cpio.bz2", "microcode.img", "layered.img", "chain.img", "two-in-one.img",
    ];

    public static TheoryData<string> CorpusImages =>
    [
        "images/tinycore/core.gz", "images/floppinux/rootfs.cpio.gz", "images/floppinux/rootfs.cpio.xz",
        "images/qemuarm64-rootfs/rootfs.cpio.gz", "images/initramfs_sandbox/busybox-rootfs.cpio.gz",
        "images/initramfs_sandbox/networking-rootfs.cpio.gz", "images/live-iso/antix-initrd.gz",
        "images/buildroot-tp/rootfs.cpio.xz",
    ];

    [Theory]
    [MemberData(nameof(FixtureImages))]
    public void Should_match_gnu_cpio_on_every_segment_of_fixture(string fixture)
        => CompareWithTools(Repo.Fixture(Path.Combine("cpio", fixture)));

    [Theory]
    [MemberData(nameof(CorpusImages))]
    public void Should_match_gnu_cpio_on_every_segment_of_corpus_image(string image)
        => CompareWithTools(Repo.CorpusFile(image));

    [Theory]
    [InlineData("microcode.img")]
    [InlineData("layered.img")]
    [InlineData("chain.img")]
    public void Should_find_the_segments_the_recipe_concatenated(string fixture)
    {
        string path = Repo.Fixture(Path.Combine("cpio", fixture));
        string[][] pieces = [.. File.ReadAllLines(path + ".tsv").Select(l => l.Split('\t'))];
        byte[] image = File.ReadAllBytes(path);
        using var reader = new InitramfsReader(new MemoryStream(image), path, DecompressionLimits.Default);
        CpioReaderTests.Drain(reader);

        Assert.Equal(pieces.Length, reader.Segments.Count);
        long offset = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            InitramfsSegment s = reader.Segments[i];
            long size = long.Parse(pieces[i][2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(i, s.Index);
            Assert.Equal(offset, s.Offset);
            Assert.Equal(pieces[i][1], s.Compression);
            Assert.Equal(CpioFormat.Newc, s.Format);
            if (s.Compression == "none")
            {
                // cpio pads the archive to 512-byte blocks with zeros: padding, not part of the segment
                Assert.InRange(s.StoredBytes, 1, size);
                Assert.All(image[(int)(offset + s.StoredBytes)..(int)(offset + size)], b => Assert.Equal(0, b));
            }
            else
            {
                Assert.Equal(size, s.StoredBytes);
            }

            offset += size;
        }
    }

    [Fact]
    public void Should_let_later_segments_override_earlier_ones_in_order()
    {
        string path = Repo.Fixture(Path.Combine("cpio", "layered.img"));
        using var reader = new InitramfsReader(File.OpenRead(path), path, DecompressionLimits.Default);
        var conf = new List<(int Segment, string Text)>();
        var opt = new List<int>();
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Name == "etc/conf")
            {
                using var r = new StreamReader(reader.OpenData());
                conf.Add((reader.CurrentSegment, r.ReadToEnd()));
            }
            else if (e.Name == "opt")
            {
                opt.Add(e.Mode);
            }
        }

        Assert.Equal([(0, "version 1\n"), (1, "version 2\n"), (2, "version 3\n")], conf);
        Assert.Equal([0x1ED, 0x1C0, 0x1E8], opt);
    }

    [Fact]
    public void Should_reject_a_truncation_anywhere_but_a_segment_end()
    {
        string path = Repo.Fixture(Path.Combine("cpio", "chain.img"));
        byte[] image = File.ReadAllBytes(path);
        using (var full = new InitramfsReader(new MemoryStream(image), path, DecompressionLimits.Default))
        {
            CpioReaderTests.Drain(full);
        }

        var validCuts = new HashSet<int> { 0 };
        long offset = 0;
        foreach (string[] piece in File.ReadAllLines(path + ".tsv").Select(l => l.Split('\t')))
        {
            long size = long.Parse(piece[2], System.Globalization.CultureInfo.InvariantCulture);
            if (piece[1] == "none")
            {
                // the stored archive ends at its TRAILER!!! entry; the zeros after it may be cut anywhere
                int end = TrailerEnd(image, (int)offset);
                for (int c = end; c <= offset + size; c++)
                {
                    validCuts.Add(c);
                }
            }

            if (piece[1] == "lz4")
            {
                validCuts.Add((int)offset + 4); // the magic alone: an lz4 legacy stream of no blocks, empty output
            }

            offset += size;
            validCuts.Add((int)offset);
        }

        for (int cut = 0; cut <= image.Length; cut++)
        {
            using var reader = new InitramfsReader(new MemoryStream(image[..cut]), path, DecompressionLimits.Default);
            if (validCuts.Contains(cut))
            {
                CpioReaderTests.Drain(reader);
            }
            else
            {
                var ex = Record.Exception(() => CpioReaderTests.Drain(reader));
                Assert.True(ex is FootprintFormatException, $"cut at {cut} of {image.Length}: {ex?.GetType().Name ?? "no exception"}");
            }
        }
    }

    [Theory]
    [InlineData("tree.newc.cpio.gz")]
    [InlineData("tree.newc.cpio.xz")]
    [InlineData("tree.newc.cpio.lzma")]
    [InlineData("tree.newc.cpio.zst")]
    [InlineData("tree.newc.cpio.lz4")]
    [InlineData("tree.newc.cpio.bz2")]
    public void Should_reject_a_truncated_compressed_segment(string fixture)
    {
        string path = Repo.Fixture(Path.Combine("cpio", fixture));
        byte[] image = File.ReadAllBytes(path);
        foreach (int cut in new[] { 3, 9, 20, image.Length / 3, image.Length / 2, image.Length - 9, image.Length - 4, image.Length - 1 })
        {
            using var reader = new InitramfsReader(new MemoryStream(image[..cut]), path, DecompressionLimits.Default);
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.NotNull(ex.Offset);
        }
    }

    [Theory]
    [InlineData("tree.newc.cpio.gz")]
    [InlineData("tree.newc.cpio.xz")]
    [InlineData("tree.newc.cpio.zst")]
    [InlineData("tree.newc.cpio.bz2")]
    [InlineData("tree.newc.cpio.lzma")]
    public void Should_report_garbage_after_the_last_segment_with_its_offset(string fixture)
    {
        string path = Repo.Fixture(Path.Combine("cpio", fixture));
        byte[] image = [.. File.ReadAllBytes(path), 0, 0, 0, 0, .. "garbage"u8];
        using var reader = new InitramfsReader(new MemoryStream(image), path, DecompressionLimits.Default);
        var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
        Assert.Equal(image.Length - 7, ex.Offset);
        Assert.Contains("junk", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_bad_magic_after_padding_and_junk_inside_a_compressed_stream()
    {
        byte[] archive = CpioReaderTests.Newc(("a", 0x81A4, "x"u8.ToArray()));
        byte[] unaligned = [0, 0, .. archive];
        using (var reader = new InitramfsReader(new MemoryStream(unaligned), "mem", DecompressionLimits.Default))
        {
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.Equal(2, ex.Offset);
        }

        byte[] junkInside = Gzip([.. archive, 0, 0, 0, 0, .. "junk"u8]);
        using (var reader = new InitramfsReader(new MemoryStream(junkInside), "mem", DecompressionLimits.Default))
        {
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.Contains("junk in compressed archive", ex.Message, StringComparison.Ordinal);
        }

        byte[] lzo = [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        using (var reader = new InitramfsReader(new MemoryStream([.. archive, .. lzo]), "mem", DecompressionLimits.Default))
        {
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.Contains($"unsupported compression lzo at offset {archive.Length}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_read_several_archives_in_one_compressed_stream_and_after_a_stored_one()
    {
        byte[] a = CpioReaderTests.Newc(("a", 0x81A4, "1"u8.ToArray()));
        byte[] b = CpioReaderTests.Newc(("b", 0x81A4, "2"u8.ToArray()));
        byte[] image = [.. a, .. new byte[8], .. Gzip([.. a, .. new byte[12], .. b]), .. new byte[3], .. b];
        using var reader = new InitramfsReader(new MemoryStream(image), "mem", DecompressionLimits.Default);
        var names = new List<(string, int)>();
        while (reader.GetNextEntry() is { } e)
        {
            names.Add((e.Name, reader.CurrentSegment));
        }

        // the stored "b" after the gzip member starts at an unaligned offset unless the gzip size says otherwise
        Assert.Equal([("a", 0), ("a", 1), ("b", 1)], names.Take(3));
    }

    [Fact]
    public void Should_stop_a_decompression_bomb()
    {
        byte[] zeros = new byte[32 << 20];
        byte[] image = Gzip(CpioReaderTests.Newc(("zeros", 0x81A4, zeros)));
        var ratio = new DecompressionLimits { MaxRatio = 100, RatioGraceBytes = 1 << 20 };
        using (var reader = new InitramfsReader(new MemoryStream(image), "bomb", ratio))
        {
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.Contains("decompression bomb", ex.Message, StringComparison.Ordinal);
        }

        var total = new DecompressionLimits { MaxOutputBytes = 1 << 20 };
        using (var reader = new InitramfsReader(new MemoryStream(image), "bomb", total))
        {
            var ex = Assert.Throws<FootprintFormatException>(() => CpioReaderTests.Drain(reader));
            Assert.Contains("decompression bomb", ex.Message, StringComparison.Ordinal);
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    /// <summary>
    /// End of the newc archive starting at <paramref name="start"/>, found by walking its headers (namesize at byte 94,
    /// filesize at 54, 4-byte alignment, buffer-format.rst) to the TRAILER!!! entry.
    /// </summary>
    private static int TrailerEnd(byte[] image, int start)
    {
        int at = start;
        while (true)
        {
            int nameSize = Convert.ToInt32(System.Text.Encoding.ASCII.GetString(image, at + 94, 8), 16);
            int fileSize = Convert.ToInt32(System.Text.Encoding.ASCII.GetString(image, at + 54, 8), 16);
            string name = System.Text.Encoding.ASCII.GetString(image, at + 110, nameSize - 1);
            int dataStart = at + ((110 + nameSize + 3) & ~3);
            at = dataStart + ((fileSize + 3) & ~3);
            if (name == "TRAILER!!!")
            {
                return at;
            }
        }
    }

    private static void CompareWithTools(string path)
    {
        var mine = new Dictionary<int, (List<string> Lines, Dictionary<string, string> Hashes, List<FileEntry> Links)>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        IReadOnlyList<InitramfsSegment> segments;
        using (var reader = new InitramfsReader(File.OpenRead(path), path, DecompressionLimits.Default))
        {
            while (reader.GetNextEntry() is { } e)
            {
                if (!mine.TryGetValue(reader.CurrentSegment, out var seg))
                {
                    seg = ([], new Dictionary<string, string>(StringComparer.Ordinal), []);
                    mine[reader.CurrentSegment] = seg;
                }

                FileKind shown = e.Kind == FileKind.HardLink ? FileKind.Regular : e.Kind;
                seg.Lines.Add(CpioTruth.Line(e, reader.CurrentLinkCount, reader.CurrentHeaderFileSize, shown, now));
                if (e.Kind == FileKind.Regular)
                {
                    using Stream data = reader.OpenData();
                    seg.Hashes[e.Name] = CpioTruth.Sha256(data);
                }
                else if (e.Kind == FileKind.HardLink)
                {
                    seg.Hashes[e.Name] = seg.Hashes[e.LinkTarget!];
                }
            }

            segments = reader.Segments;
        }

        Assert.NotEmpty(segments);
        using var dir = new TestSupport.TempDir();
        foreach (InitramfsSegment s in segments)
        {
            string stored = Path.Combine(dir.Path, $"seg{s.Index}");
            string dec = Path.Combine(dir.Path, $"seg{s.Index}.cpio");
            Tool.Shell($"dd status=none bs=64K iflag=skip_bytes,count_bytes skip={s.Offset} count={s.StoredBytes} if='{path}' of='{stored}'");
            string decompress = s.Compression switch
            {
                "none" => "cat",
                "gzip" => "gzip -dc",
                "xz" => "xz -dc",
                "lzma" => "xz --format=lzma -dc",
                "bzip2" => "bzip2 -dc",
                "zstd" => "zstd -qdc",
                "lz4" => "lz4 -qdc",
                _ => throw new InvalidOperationException(s.Compression),
            };
            Tool.Shell($"{decompress} < '{stored}' > '{dec}'");
            Assert.Equal(s.ExpandedBytes, new FileInfo(dec).Length);

            // a decompressed segment may hold several archives (the kernel goes on after TRAILER!!!): split them
            byte[] bytes = File.ReadAllBytes(dec);
            var expectedLines = new List<string>();
            var expectedHashes = new Dictionary<string, string>(StringComparer.Ordinal);
            int start = 0, part = 0;
            while (start < bytes.Length)
            {
                int end = TrailerEnd(bytes, start);
                string archive = Path.Combine(dir.Path, $"seg{s.Index}.{part++}.cpio");
                File.WriteAllBytes(archive, bytes[start..end]);
                expectedLines.AddRange(CpioTruth.CpioLines(archive));
                foreach (var kv in CpioTruth.CpioHashes(archive))
                {
                    expectedHashes[kv.Key] = kv.Value;
                }

                start = end;
                while (start < bytes.Length && bytes[start] == 0)
                {
                    start++;
                }
            }

            var (lines, hashes, _) = mine.TryGetValue(s.Index, out var m) ? m : ([], new Dictionary<string, string>(), []);
            expectedLines.Sort(StringComparer.Ordinal);
            lines.Sort(StringComparer.Ordinal);
            var missing = expectedLines.Except(lines).ToList();
            var extra = lines.Except(expectedLines).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"segment {s.Index}: cpio lists but the reader lacks:\n{string.Join('\n', missing.Take(10))}\nthe reader has but cpio lacks:\n{string.Join('\n', extra.Take(10))}");
            Assert.Equal(expectedLines, lines);
            Assert.Equal(lines.Count, s.Entries);
            Assert.Equal(
                expectedHashes.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
                hashes.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList());
        }
    }
}
