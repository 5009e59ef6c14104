using System.Globalization;
using System.Text.RegularExpressions;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Fat;
using Footprint.Formats.Iso9660;
using Footprint.Formats.Squashfs;
using Footprint.Formats.Tar;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats;

/// <summary>
/// The probes each format reader owns (SquashfsReader, IsoReader, FatReader, CpioReader, TarArchiveReader,
/// CompressionProbe), side by side: each accepts its own format's real files and rejects every other format's header.
/// Ground truth for the values: unsquashfs -s, isoinfo -d, minfo and file(1), and files built here with cpio and xz.
/// </summary>
public sealed class FormatProbeTests
{
    /// <summary>Enough of a file's head for every probe (ISO 9660's first descriptor ends at 0x8100).</summary>
    private const int HeadBytes = 0x8800;

    public static TheoryData<string, string> Files() => new()
    {
        { "squashfs/gzip.squashfs", "squashfs" },
        { "squashfs/xz.squashfs", "squashfs" },
        { "squashfs/zstd.squashfs", "squashfs" },
        { "squashfs/lzo.squashfs", "squashfs" },
        { "squashfs/uncompressed.squashfs", "squashfs" },
        { "iso/small.iso", "iso9660" },
        { "iso/rr-joliet.iso", "iso9660" },
        { "iso/plain-l1.iso", "iso9660" },
        { "fat/fat12.img", "fat" },
        { "fat/fat16.img", "fat" },
        { "fat/fat32.img", "fat" },
        { "cpio/tree.newc.cpio", "cpio" },
        { "cpio/tree.crc.cpio", "cpio" },
        { "cpio/tree.odc.cpio", "cpio" },
        { "debian/rootfs.tar", "tar" },
        { "cpio/tree.newc.cpio.gz", "gzip" },
        { "cpio/tree.newc.cpio.xz", "xz" },
        { "cpio/tree.newc.cpio.zst", "zstd" },
        { "cpio/tree.newc.cpio.bz2", "bzip2" },
        { "cpio/tree.newc.cpio.lz4", "lz4" },
        { "cpio/tree.newc.cpio.lzma", "lzma" },
    };

    /// <summary>Every probe's verdict on <paramref name="head"/>, by the format it recognises.</summary>
    private static SortedSet<string> Accepting(ReadOnlySpan<byte> head)
    {
        var formats = new (string Format, bool Magic, bool Probe)[]
        {
            ("squashfs", SquashfsReader.HasMagic(head), SquashfsReader.TryProbe(head, out _)),
            ("iso9660", IsoReader.HasMagic(head), IsoReader.TryProbe(head, out _)),
            ("fat", FatReader.HasMagic(head), FatReader.TryProbe(head, out _)),
            ("cpio", CpioReader.HasMagic(head), CpioReader.TryProbe(head, out _)),
            ("tar", TarArchiveReader.HasMagic(head), TarArchiveReader.HasMagic(head)),
            ("gzip", CompressionProbe.IsGzip(head), CompressionProbe.TryReadGzip(head, out _)),
            ("xz", CompressionProbe.IsXz(head), CompressionProbe.TryReadXz(head, out _)),
            ("zstd", CompressionProbe.IsZstd(head), CompressionProbe.IsZstd(head)),
            ("bzip2", CompressionProbe.IsBzip2(head), CompressionProbe.IsBzip2(head)),
            ("lz4", CompressionProbe.IsLz4Legacy(head), CompressionProbe.IsLz4Legacy(head)),
            ("lzma", CompressionProbe.IsLzmaAlone(head), CompressionProbe.TryReadLzmaAlone(head, out _)),
        };
        var accepting = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string format, bool magic, bool probe) in formats)
        {
            // The full probe never accepts what the magic check refuses.
            Assert.False(probe && !magic, $"{format}: probe accepts what its magic check refuses");
            if (magic)
            {
                accepting.Add(format + (probe ? string.Empty : " (magic only)"));
            }
        }

        return accepting;
    }

    private static byte[] Head(string path, long offset = 0, int bytes = HeadBytes)
    {
        using FileStream f = File.OpenRead(path);
        f.Position = offset;
        byte[] head = new byte[bytes];
        int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..n];
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Should_accept_its_own_format_and_reject_every_other(string fixture, string format)
    {
        byte[] head = Head(Repo.Fixture(fixture));

        Assert.Equal([format], Accepting(head));
    }

    [Theory]
    [InlineData("gzip 0")]
    [InlineData("cpio 65536")]
    [InlineData("fat 655360")]
    [InlineData("iso9660 1048576")]
    [InlineData("xz 1441792")]
    public void Should_find_each_part_of_a_mixed_image_at_the_offset_its_recipe_wrote_it(string line)
    {
        // tests/fixtures/firmware.sh writes offsets.txt: "type offset length" of each piece it placed in mixed.bin.
        string[] recipe = File.ReadAllLines(Repo.Fixture("firmware/offsets.txt"));
        Assert.Contains(recipe, l => l.StartsWith(line + " ", StringComparison.Ordinal));
        string format = line.Split(' ')[0];
        long offset = long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);

        byte[] head = Head(Repo.Fixture("firmware/mixed.bin"), offset);

        Assert.Equal([format], Accepting(head));
    }

    [Theory]
    [InlineData("squashfs/xz.squashfs")]
    [InlineData("squashfs/gzip-4k.squashfs")]
    [InlineData("squashfs/zstd.squashfs")]
    [InlineData("squashfs/lz4.squashfs")]
    public void Should_read_the_squashfs_superblock_as_unsquashfs_does(string fixture)
    {
        string path = Repo.Fixture(fixture);
        string truth = Tool.Output("unsquashfs", "-s", path);

        Assert.True(SquashfsReader.TryProbe(Head(path), out SquashfsProbe? probe));

        Assert.Equal(ulong.Parse(Field(truth, @"^Filesystem size (\d+) bytes"), CultureInfo.InvariantCulture), probe.BytesUsed);
        Assert.Equal(uint.Parse(Field(truth, @"^Block size (\d+)$"), CultureInfo.InvariantCulture), probe.BlockSizeBytes);
        Assert.Equal(uint.Parse(Field(truth, @"^Number of inodes (\d+)$"), CultureInfo.InvariantCulture), probe.InodeCount);
        Assert.Equal(Field(truth, @"^Compression (\w+)$"), probe.Compression);
        Assert.True(probe.LittleEndian);
        Assert.True(probe.Supported);
    }

    [Theory]
    [InlineData("iso/small.iso")]
    [InlineData("iso/rr-joliet.iso")]
    [InlineData("iso/level3.iso")]
    public void Should_read_the_primary_volume_descriptor_as_isoinfo_does(string fixture)
    {
        string path = Repo.Fixture(fixture);
        string truth = Tool.Output("isoinfo", "-d", "-i", path);

        Assert.True(IsoReader.TryProbe(Head(path), out IsoProbe? probe));

        Assert.Equal(Field(truth, @"^Volume id: (.*)$").TrimEnd(), probe.VolumeId);
        Assert.Equal(int.Parse(Field(truth, @"^Logical block size is: (\d+)$"), CultureInfo.InvariantCulture), probe.BlockSizeBytes);
        Assert.Equal(uint.Parse(Field(truth, @"^Volume size is: (\d+)$"), CultureInfo.InvariantCulture), probe.Blocks);
        Assert.Equal(probe.Blocks * (long)probe.BlockSizeBytes, probe.LengthBytes);
    }

    [Theory]
    [InlineData("fat/fat12.img")]
    [InlineData("fat/fat16.img")]
    [InlineData("fat/fat32.img")]
    public void Should_read_the_boot_sector_as_minfo_and_file_do(string fixture)
    {
        string path = Repo.Fixture(fixture);
        string minfo = Tool.Output("minfo", "-i", path, "::");
        string file = Tool.Output("file", "-b", path);

        Assert.True(FatReader.TryProbe(Head(path), out FatProbe? probe));

        Assert.Equal(Field(minfo, "^banner:\"(.*)\"$"), probe.OemName);
        Assert.Equal(int.Parse(Field(minfo, @"^sector size: (\d+) bytes$"), CultureInfo.InvariantCulture), probe.BytesPerSector);
        long small = long.Parse(Field(minfo, @"^small size: (\d+) sectors$"), CultureInfo.InvariantCulture);
        long total = small != 0 ? small : long.Parse(Field(minfo, @"^big size: (\d+) sectors$"), CultureInfo.InvariantCulture);
        Assert.Equal(total, probe.TotalSectors);
        Assert.Equal("FAT" + Field(file, @"FAT \((\d+) bit\)"), probe.FatType);
    }

    [Theory]
    [InlineData("newc", "070701", 110)]
    [InlineData("crc", "070702", 110)]
    [InlineData("odc", "070707", 76)]
    public void Should_read_the_first_cpio_header_cpio_wrote(string format, string magic, int headerBytes)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["hello"], "hello, world\n");
        string archive = dir["a.cpio"];
        Tool.Shell($"cd '{dir.Path}' && echo hello | cpio --quiet -o -H {format} > '{archive}'");

        byte[] head = Head(archive);
        Assert.Equal(magic, System.Text.Encoding.ASCII.GetString(head, 0, 6));

        Assert.True(CpioReader.TryProbe(head, out CpioProbe? probe));
        Assert.Equal(headerBytes, probe.HeaderBytes);
        Assert.Equal("hello\0".Length, probe.NameBytes);
        Assert.Equal("hello, world\n".Length, probe.DataBytes);
        Assert.Equal(format == "odc" ? 1 : 4, probe.Alignment);
        Assert.False(CpioProbe.IsTrailer("hello\0"u8));
        Assert.True(CpioProbe.IsTrailer("TRAILER!!!\0"u8));

        // One byte of the name size that is not a digit: not a header.
        head[format == "odc" ? 59 : 94] = (byte)'x';
        Assert.False(CpioReader.TryProbe(head, out _));
    }

    [Fact]
    public void Should_read_the_lzma_alone_header_xz_wrote()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["data"], new byte[100_000]);
        Tool.Shell($"xz --format=lzma --lzma1=preset=6,dict=1MiB,lc=3,lp=0,pb=2 -k -c '{dir["data"]}' > '{dir["data.lzma"]}'");

        byte[] head = Head(dir["data.lzma"]);

        Assert.True(CompressionProbe.TryReadLzmaAlone(head, out LzmaAloneHeader? h));
        Assert.Equal(3 + (0 * 9) + (2 * 45), h.Properties);
        Assert.Equal((3, 0, 2), (h.Lc, h.Lp, h.Pb));
        Assert.Equal(1u << 20, h.DictionaryBytes);
        Assert.Null(h.UncompressedBytes); // xz writes "unknown" (all ones) when compressing a stream

        head[1] = 0x01; // a dictionary of 1 MiB + 1 byte is no size lzma writes
        Assert.False(CompressionProbe.TryReadLzmaAlone(head, out _));
    }

    [Fact]
    public void Should_check_the_gzip_and_xz_header_fields_after_the_magic()
    {
        byte[] gzip = Head(Repo.Fixture("cpio/tree.newc.cpio.gz"));
        byte[] xz = Head(Repo.Fixture("cpio/tree.newc.cpio.xz"));
        Assert.True(CompressionProbe.TryReadGzip(gzip, out _));
        Assert.True(CompressionProbe.TryReadXz(xz, out int check));
        Assert.Equal(Tool.Shell($"xz --robot -lv '{Repo.Fixture("cpio/tree.newc.cpio.xz")}' | awk '$1==\"stream\" {{print $9}}'").Trim(), check switch { 0 => "None", 1 => "CRC32", 4 => "CRC64", 10 => "SHA-256", _ => "?" });

        gzip[3] |= 0x80; // a reserved flag bit
        xz[8] ^= 1;      // the stream flags' CRC-32
        Assert.True(CompressionProbe.IsGzip(gzip));
        Assert.False(CompressionProbe.TryReadGzip(gzip, out _));
        Assert.True(CompressionProbe.IsXz(xz));
        Assert.False(CompressionProbe.TryReadXz(xz, out _));
    }

    private static string Field(string text, string pattern)
    {
        Match m = Regex.Match(text, pattern, RegexOptions.Multiline);
        Assert.True(m.Success, $"no match for {pattern} in:\n{text}");
        return m.Groups[1].Value;
    }
}
