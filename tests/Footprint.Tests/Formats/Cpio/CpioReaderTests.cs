using System.Text;
using Footprint.Formats;
using Footprint.Formats.Cpio;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Cpio;

public sealed class CpioReaderTests
{
    public static TheoryData<string, CpioFormat> Formats => new()
    {
        { "tree.newc.cpio", CpioFormat.Newc },
        { "tree.crc.cpio", CpioFormat.Crc },
        { "tree.odc.cpio", CpioFormat.Odc },
        { "tree.bin.cpio", CpioFormat.BinaryLittleEndian },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Should_list_and_extract_like_gnu_cpio(string fixture, CpioFormat format)
    {
        string path = Repo.Fixture(Path.Combine("cpio", fixture));
        using var reader = new CpioReader(File.OpenRead(path), path);
        CpioTruth.Listing mine = ReadAll(reader);

        Assert.Equal(format, reader.Format);
        Assert.Equal(CpioTruth.CpioLines(path), mine.Lines);
        Assert.Equal(Sorted(CpioTruth.CpioHashes(path)), Sorted(mine.Hashes));
        Assert.Null(reader.GetNextEntry());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Should_present_hard_links_as_one_regular_file_and_links_to_it(string fixture, CpioFormat format)
    {
        _ = format;
        string path = Repo.Fixture(Path.Combine("cpio", fixture));
        using var reader = new CpioReader(File.OpenRead(path), path);
        var regular = new Dictionary<string, long>();
        var links = new List<FileEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Kind == FileKind.Regular)
            {
                regular[e.Name] = e.SizeBytes;
            }
            else if (e.Kind == FileKind.HardLink)
            {
                Assert.True(regular.ContainsKey(e.LinkTarget!), $"{e.Name} links to {e.LinkTarget}, not yielded before");
                links.Add(e);
            }
        }

        Assert.Equal(3, links.Count); // hl-* (3 names: 1 regular + 2 links) and empty-linked-* (1 + 1)
        string hl = links.First(l => l.Name.StartsWith("data/hl-", StringComparison.Ordinal)).LinkTarget!;
        Assert.Equal(18, regular[hl]);
        Assert.Equal(0, regular[links.Single(l => l.Name.StartsWith("data/empty-linked", StringComparison.Ordinal)).LinkTarget!]);
    }

    [Fact]
    public void Should_stop_after_the_trailer_and_report_the_bytes_consumed()
    {
        byte[] archive = Newc(("a", 0x81A4, "x"u8.ToArray()));
        byte[] twice = [.. archive, .. archive];
        using var reader = new CpioReader(new MemoryStream(twice), "mem");
        Assert.Equal("a", reader.GetNextEntry()!.Name);
        Assert.Null(reader.GetNextEntry());
        Assert.Equal(archive.Length, reader.Position);
    }

    [Fact]
    public void Should_not_yield_the_root_and_strip_leading_dot_slash()
    {
        byte[] archive = Newc((".", 0x41ED, []), ("./etc", 0x41ED, []), ("/etc/x", 0x81A4, "1"u8.ToArray()));
        using var reader = new CpioReader(new MemoryStream(archive), "mem");
        Assert.Equal("etc", reader.GetNextEntry()!.Name);
        Assert.Equal("etc/x", reader.GetNextEntry()!.Name);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void Should_reject_every_truncation()
    {
        byte[] archive = Newc(("dir", 0x41ED, []), ("dir/file", 0x81A4, "content!"u8.ToArray()), ("link", 0xA1FF, "dir/file"u8.ToArray()));
        for (int cut = 0; cut < archive.Length; cut++)
        {
            using var reader = new CpioReader(new MemoryStream(archive[..cut]), "mem");
            var ex = Assert.Throws<FootprintFormatException>(() => Drain(reader));
            Assert.NotNull(ex.Offset);
        }
    }

    [Theory]
    [InlineData(94, "00000000", "name size 0")]
    [InlineData(94, "00001001", "name size 4097")]
    [InlineData(0, "070709", "bad cpio magic")]
    [InlineData(14, "0000G000", "field mode")]
    [InlineData(14, "00000000", "unknown file type")]
    public void Should_reject_bad_header_fields(int at, string text, string expected)
    {
        byte[] archive = Newc(("file", 0x81A4, "abc"u8.ToArray()));
        Encoding.ASCII.GetBytes(text).CopyTo(archive, at);
        using var reader = new CpioReader(new MemoryStream(archive), "mem");
        var ex = Assert.Throws<FootprintFormatException>(() => Drain(reader));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_a_filesize_beyond_the_stream()
    {
        byte[] archive = Newc(("file", 0x81A4, "abc"u8.ToArray()));
        Encoding.ASCII.GetBytes("7FFFFFFF").CopyTo(archive, 54);
        using var reader = new CpioReader(new MemoryStream(archive), "mem");
        Assert.Throws<FootprintFormatException>(() => Drain(reader));
    }

    [Fact]
    public void Should_reject_a_crc_mismatch()
    {
        byte[] archive = Newc(("file", 0x81A4, "abc"u8.ToArray()));
        archive[5] = (byte)'2'; // crc format
        Encoding.ASCII.GetBytes("00000001").CopyTo(archive, 102);
        using var reader = new CpioReader(new MemoryStream(archive), "mem");
        var ex = Assert.Throws<FootprintFormatException>(() => Drain(reader));
        Assert.Contains("crc mismatch", ex.Message, StringComparison.Ordinal);

        Encoding.ASCII.GetBytes($"{'a' + 'b' + 'c':X8}").CopyTo(archive, 102);
        using var good = new CpioReader(new MemoryStream(archive), "mem");
        Drain(good);
        Assert.Equal(CpioFormat.Crc, good.Format);
    }

    [Fact]
    public void Should_reject_a_fixture_crc_mismatch()
    {
        string path = Repo.Fixture(Path.Combine("cpio", "tree.crc.cpio"));
        byte[] bytes = File.ReadAllBytes(path);
        // flip one byte inside busybox's data (the first large file): its sum no longer matches
        bytes[bytes.Length / 2] ^= 0x55;
        using var reader = new CpioReader(new MemoryStream(bytes), path);
        Assert.Throws<FootprintFormatException>(() => Drain(reader));
    }

    [Fact]
    public void Should_bound_held_back_hard_link_names()
    {
        var ms = new MemoryStream();
        for (int i = 0; i <= CpioReader.MaxPendingLinkNames; i++)
        {
            WriteNewc(ms, $"l{i}", 0x81A4, [], ino: 7, nlink: 2);
        }

        WriteNewc(ms, "TRAILER!!!", 0, [], ino: 0, nlink: 1);
        using var reader = new CpioReader(new MemoryStream(ms.ToArray()), "mem");
        var ex = Assert.Throws<FootprintFormatException>(() => Drain(reader));
        Assert.Contains("hard-link names", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_read_old_binary_headers_in_either_byte_order(bool bigEndian)
    {
        // GNU cpio -H bin writes host order (little-endian here): the big-endian variant is built by hand, as the
        // 13 16-bit words of the old header (magic dev ino mode uid gid nlink rdev mtime[2] namesize filesize[2]).
        var ms = new MemoryStream();
        void Entry(string name, int mode, byte[] data, int ino)
        {
            byte[] nameBytes = Encoding.ASCII.GetBytes(name + "\0");
            int[] words = [0x71C7, 1, ino, mode, 1234, 5678, 1, 0, 1700000000 >> 16, 1700000000 & 0xFFFF, nameBytes.Length, data.Length >> 16, data.Length & 0xFFFF];
            foreach (int w in words)
            {
                ms.Write(bigEndian ? [(byte)(w >> 8), (byte)w] : [(byte)w, (byte)(w >> 8)]);
            }

            ms.Write(nameBytes);
            ms.Write(new byte[nameBytes.Length % 2]);
            ms.Write(data);
            ms.Write(new byte[data.Length % 2]);
        }

        Entry("file", 0x81A4, "hello"u8.ToArray(), 5);
        Entry("TRAILER!!!", 0, [], 0);
        using var reader = new CpioReader(new MemoryStream(ms.ToArray()), "mem");
        FileEntry e = reader.GetNextEntry()!;
        Assert.Equal(bigEndian ? CpioFormat.BinaryBigEndian : CpioFormat.BinaryLittleEndian, reader.Format);
        Assert.Equal(("file", FileKind.Regular, 5L, 0x1A4, 1234L, 5678L), (e.Name, e.Kind, e.SizeBytes, e.Mode, e.Uid, e.Gid));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), e.ModificationTime);
        using (var r = new StreamReader(reader.OpenData()))
        {
            Assert.Equal("hello", r.ReadToEnd());
        }

        Assert.Null(reader.GetNextEntry());
        Assert.Equal(ms.Length, reader.Position);
    }

    internal static CpioTruth.Listing ReadAll(CpioReader reader)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var lines = new List<string>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var content = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<FileEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            FileKind shown = e.Kind == FileKind.HardLink ? FileKind.Regular : e.Kind;
            lines.Add(CpioTruth.Line(e, reader.CurrentLinkCount, reader.CurrentHeaderFileSize, shown, now));
            if (e.Kind == FileKind.Regular)
            {
                using Stream data = reader.OpenData();
                hashes[e.Name] = CpioTruth.Sha256(data);
            }
            else if (e.Kind == FileKind.HardLink)
            {
                links.Add(e);
            }
        }

        foreach (FileEntry l in links)
        {
            hashes[l.Name] = hashes[l.LinkTarget!];
        }

        lines.Sort(StringComparer.Ordinal);
        return new CpioTruth.Listing(lines, hashes);
    }

    internal static void Drain(IEntryReader reader)
    {
        while (reader.GetNextEntry() is { } e)
        {
            using Stream s = reader.OpenData();
            s.CopyTo(Stream.Null);
        }
    }

    private static List<KeyValuePair<string, string>> Sorted(Dictionary<string, string> d)
        => [.. d.OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    /// <summary>A newc archive with a trailer (the layout of buffer-format.rst).</summary>
    internal static byte[] Newc(params (string Name, int Mode, byte[] Data)[] entries)
    {
        var ms = new MemoryStream();
        int ino = 1;
        foreach ((string name, int mode, byte[] data) in entries)
        {
            WriteNewc(ms, name, mode, data, ino++, nlink: 1);
        }

        WriteNewc(ms, "TRAILER!!!", 0, [], 0, 1);
        return ms.ToArray();
    }

    internal static void WriteNewc(Stream ms, string name, int mode, byte[] data, int ino, int nlink)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        string header = $"070701{ino:X8}{mode:X8}{0:X8}{0:X8}{nlink:X8}{1700000000:X8}{data.Length:X8}{0:X8}{0:X8}{0:X8}{0:X8}{nameBytes.Length:X8}{0:X8}";
        ms.Write(Encoding.ASCII.GetBytes(header));
        ms.Write(nameBytes);
        ms.Write(new byte[(4 - ((110 + nameBytes.Length) % 4)) % 4]);
        ms.Write(data);
        ms.Write(new byte[(4 - (data.Length % 4)) % 4]);
    }
}
