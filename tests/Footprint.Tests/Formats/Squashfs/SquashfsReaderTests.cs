using System.Globalization;
using System.Security.Cryptography;
using Footprint.Formats;
using Footprint.Formats.Squashfs;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Squashfs;

/// <summary>
/// Ground truth: squashfs-tools' unsquashfs on the same bytes. Images come from tests/fixtures/squashfs.sh (every
/// compressor and the mksquashfs layout options) and the third-party corpus.
/// </summary>
public sealed class SquashfsReaderTests
{
    private static readonly string[] FixtureImages =
    [
        "gzip", "xz", "lzma", "lzo", "lz4", "zstd", "gzip-4k", "gzip-1m", "no-fragments", "always-fragments", "no-xattrs",
        "uncompressed", "no-duplicates", "tiny", "tiny-xz", "gzip-options", "xz-bcj", "lzo-options", "zstd-options",
    ];

    private static readonly string[] CorpusImages =
    [
        "images/tplink/rootfs.squashfs",
        "tinycore/10.0/x86_64/squashfs-tools.tcz",
        "firmware/binwalk/squashfs.bin",
    ];

    public static TheoryData<string> Images()
    {
        var data = new TheoryData<string>();
        foreach (string f in FixtureImages)
        {
            data.Add("fixture:" + f);
        }

        foreach (string c in CorpusImages)
        {
            data.Add("corpus:" + c);
        }

        return data;
    }

    /// <summary>Debian minbase (out/debian/rootfs.tar through mksquashfs -tar): a real distribution's tree, for the bench.</summary>
    public static TheoryData<string> DebianImages() => new("fixture:debian-minbase-gzip", "fixture:debian-minbase-xz");

    [Theory]
    [MemberData(nameof(DebianImages))]
    public void Should_list_debian_minbase_like_unsquashfs(string image) => Should_list_like_unsquashfs(image);

    [Fact]
    public void Should_read_debian_minbase_like_unsquashfs_extracts_it()
        => Should_read_every_file_like_unsquashfs_extracts_it("fixture:debian-minbase-gzip");

    /// <summary>OpenWrt sysupgrade images: a uImage kernel, then the squashfs root filesystem at some offset.</summary>
    public static TheoryData<string> Firmware() => new(
        "firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-sysupgrade.bin",
        "firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin",
        "firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin");

    [Theory]
    [MemberData(nameof(Firmware))]
    public void Should_read_squashfs_carved_from_firmware_like_unsquashfs(string relative)
    {
        string path = Repo.CorpusFile(relative);
        byte[] bytes = File.ReadAllBytes(path);
        long offset = -1;
        for (int i = bytes.AsSpan().IndexOf("hsqs"u8); i >= 0 && offset < 0; i = bytes.AsSpan(i + 1).IndexOf("hsqs"u8) is var n && n >= 0 ? i + 1 + n : -1)
        {
            if (SquashfsReader.TryReadSuperblock(bytes.AsSpan(i), out _, out _))
            {
                offset = i;
            }
        }

        Assert.True(offset > 0, "no squashfs 4.0 superblock found");
        string o = offset.ToString(CultureInfo.InvariantCulture);
        string expected = UnsquashfsListing.Run("-o", o, "-lln", "-n", path);
        using var tmp = new TempDir();
        string dest = Path.Combine(tmp.Path, "x");
        UnsquashfsListing.Run("-o", o, "-n", "-no-xattrs", "-d", dest, path);
        using FileStream f = File.OpenRead(path);
        using (var reader = new SquashfsReader(f, path, offset))
        {
            Assert.Equal(expected, UnsquashfsListing.Format(reader));
        }

        using var again = new SquashfsReader(f, path, offset);
        while (again.GetNextEntry() is { } e)
        {
            if (e.Kind == FileKind.Regular)
            {
                using Stream data = again.OpenData();
                Assert.Equal(ExternalTools.Sha256File(Path.Combine(dest, e.Name)), Convert.ToHexStringLower(SHA256.HashData(data)));
            }
        }
    }

    public static TheoryData<string> FixtureWithXattrs() => new("gzip", "xz", "lzo", "uncompressed", "gzip-4k", "tiny");

    internal static string PathOf(string image) => image.StartsWith("fixture:", StringComparison.Ordinal)
        ? Repo.Fixture(Path.Combine("squashfs", image["fixture:".Length..] + ".squashfs"))
        : Repo.CorpusFile(image["corpus:".Length..]);

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_list_like_unsquashfs(string image)
    {
        string path = PathOf(image);
        string expected = UnsquashfsListing.Run("-lln", "-n", path);
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        string actual = UnsquashfsListing.Format(reader);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_read_every_file_like_unsquashfs_extracts_it(string image)
    {
        string path = PathOf(image);
        using var tmp = new TempDir();
        string dest = Path.Combine(tmp.Path, "x");
        UnsquashfsListing.Run("-n", "-no-xattrs", "-d", dest, path);
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        int files = 0;
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Kind != FileKind.Regular)
            {
                Assert.Equal(0, reader.CurrentStoredBytes);
                continue;
            }

            files++;
            using Stream data = reader.OpenData();
            string ours = Convert.ToHexStringLower(SHA256.HashData(data));
            Assert.Equal(e.SizeBytes, data.Position);
            Assert.True(ExternalTools.Sha256File(Path.Combine(dest, e.Name)) == ours, $"{e.Name}: content differs from unsquashfs's");
        }

        Assert.True(files > 0);
    }

    [Theory]
    [MemberData(nameof(FixtureWithXattrs))]
    public void Should_read_xattrs_like_unsquashfs_restores_them(string name)
    {
        ExternalTools.RequireRoot();
        ExternalTools.Require("getfattr");
        string path = PathOf("fixture:" + name);
        using var tmp = new TempDir();
        string dest = Path.Combine(tmp.Path, "x");
        UnsquashfsListing.Run("-n", "-d", dest, path);
        Dictionary<string, Dictionary<string, string>> expected = GetfattrDump(dest);

        var actual = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Xattrs.Count > 0)
            {
                actual[e.Name] = e.Xattrs.ToDictionary(kv => kv.Key, kv => Convert.ToHexStringLower(kv.Value), StringComparer.Ordinal);
            }

            if (e.Kind == FileKind.HardLink && actual.TryGetValue(e.LinkTarget!, out Dictionary<string, string>? shared))
            {
                actual[e.Name] = shared;
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.OrderBy(x => x.Key, StringComparer.Ordinal))}"),
            actual.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.OrderBy(x => x.Key, StringComparer.Ordinal))}"));
    }

    /// <summary>getfattr -R -d -m - -e hex: "# file: PATH" then "name=0xHEX" lines, per file with attributes.</summary>
    private static Dictionary<string, Dictionary<string, string>> GetfattrDump(string root)
    {
        string dump = ExternalTools.Bash(root, "getfattr -R -h -d -m - -e hex . 2>/dev/null || true");
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (string line in dump.Split('\n'))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                string p = line["# file: ".Length..];
                p = p.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p;
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                result[p] = current;
            }
            else if (current is not null && line.IndexOf('=', StringComparison.Ordinal) is var eq && eq > 0)
            {
                string value = line[(eq + 1)..];
                current[line[..eq]] = value.StartsWith("0x", StringComparison.Ordinal) ? value[2..] : value;
            }
        }

        return result.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_read_the_superblock_like_unsquashfs(string image)
    {
        string path = PathOf(image);
        string stat = UnsquashfsListing.Run("-s", path);
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        SquashfsSuperblock sb = reader.Superblock;
        Assert.Contains($"Compression {sb.Compression.ToString().ToLowerInvariant()}\n", stat, StringComparison.Ordinal);
        Assert.Contains($"Block size {sb.BlockSize}\n", stat, StringComparison.Ordinal);
        Assert.Contains($"Number of inodes {sb.InodeCount}\n", stat, StringComparison.Ordinal);
        Assert.Contains($"Number of fragments {sb.FragmentCount}\n", stat, StringComparison.Ordinal);
        Assert.Contains($"Filesystem size {sb.BytesUsed.ToString(CultureInfo.InvariantCulture)} bytes", stat, StringComparison.Ordinal);
        Assert.Equal((4, 0), (sb.Major, sb.Minor));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_account_stored_bytes_within_the_image(string image)
    {
        string path = PathOf(image);
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        long perFile = 0;
        long regular = 0;
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Kind == FileKind.Regular)
            {
                regular += e.SizeBytes;
                perFile += reader.CurrentStoredBytes;
            }
        }

        SquashfsDataStats stats = reader.DataStats;
        Assert.Equal(regular, stats.FileBytes);
        Assert.InRange(stats.StoredDataBytes, 0, reader.Superblock.BytesUsed);

        // Per-file stored bytes count shared blocks once per file: their sum is the stored bytes plus what dedup saved,
        // give or take the rounding of fragment shares (at most one byte per file).
        Assert.InRange(perFile, stats.StoredDataBytes + stats.DuplicateBytesSaved - stats.FileCount - (reader.Superblock.BlockSize * (long)reader.Superblock.FragmentCount), stats.StoredDataBytes + stats.DuplicateBytesSaved);
    }

    [Fact]
    public void Should_count_duplicate_files_once()
    {
        (SquashfsDataStats dedup, long copies) = Stats("gzip");
        (SquashfsDataStats plain, _) = Stats("no-duplicates");
        Assert.Equal(copies, dedup.DuplicateBytesSaved);
        Assert.True(copies > 0);
        Assert.Equal(0, plain.DuplicateBytesSaved);
        Assert.Equal(plain.FileBytes, dedup.FileBytes);

        static (SquashfsDataStats Stats, long CopiesStored) Stats(string name)
        {
            string path = PathOf("fixture:" + name);
            using FileStream f = File.OpenRead(path);
            using var reader = new SquashfsReader(f, path);
            long copies = 0;
            while (reader.GetNextEntry() is { } e)
            {
                // copies walked after their originals: text, small-a, and bin/busybox (ping-cap differs only in its xattr)
                if (e.Name is "data/text-copy" or "data/small-b" or "bin/ping-cap")
                {
                    copies += reader.CurrentStoredBytes;
                }
            }

            return (reader.DataStats, copies);
        }
    }

    [Fact]
    public void Should_present_the_fixture_tree_faithfully()
    {
        string path = PathOf("fixture:xz");
        using FileStream f = File.OpenRead(path);
        using var reader = new SquashfsReader(f, path);
        var entries = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } e)
        {
            entries[e.Name] = e;
        }

        Assert.Equal(FileKind.Regular, entries["bin/hard3"].Kind);
        Assert.Equal((FileKind.HardLink, "bin/hard3"), (entries["data/hard1"].Kind, entries["data/hard1"].LinkTarget));
        Assert.Equal((FileKind.HardLink, "bin/hard3"), (entries["data/hard2"].Kind, entries["data/hard2"].LinkTarget));
        Assert.Equal(409600, entries["data/sparse"].SizeBytes);
        Assert.NotNull(entries["data/sparse"].DataBytes);
        Assert.Equal((FileKind.CharDevice, 4, 300), (entries["dev/big-minor"].Kind, entries["dev/big-minor"].DeviceMajor, entries["dev/big-minor"].DeviceMinor));
        Assert.Equal((FileKind.BlockDevice, 8, 1), (entries["dev/sda1"].Kind, entries["dev/sda1"].DeviceMajor, entries["dev/sda1"].DeviceMinor));
        Assert.Equal(FileKind.Fifo, entries["dev/fifo"].Kind);
        Assert.Equal(FileKind.Socket, entries["dev/socket"].Kind);
        foreach (string extended in new[] { "dev/fifo", "dev/null", "dev/sda1", "dev/socket", "bin/sh", "data" })
        {
            Assert.Equal(extended, System.Text.Encoding.UTF8.GetString(entries[extended].Xattrs["trusted.kind"]));
        }

        Assert.Equal(0x9ED, entries["bin/suid"].Mode);
        Assert.Equal((1234L, 5678L), (entries["owned/file"].Uid, entries["owned/file"].Gid));
        Assert.True(entries["bin/ping-cap"].Xattrs.ContainsKey("security.capability"));
        Assert.Equal("busybox", entries["bin/ls"].LinkTarget);
        Assert.Contains(entries.Keys, k => k.EndsWith("/d30/leaf", StringComparison.Ordinal));
        Assert.Contains(entries.Keys, k => k.Length == "data/".Length + 255);
    }

    [Fact]
    public void Should_read_an_image_at_an_offset()
    {
        string path = PathOf("fixture:tiny");
        byte[] image = File.ReadAllBytes(path);
        byte[] padded = new byte[12345 + image.Length];
        image.CopyTo(padded, 12345);
        using var inner = new SquashfsReader(new MemoryStream(image), "tiny");
        using var outer = new SquashfsReader(new MemoryStream(padded), "padded", offset: 12345);
        Assert.Equal(UnsquashfsListing.Format(inner), UnsquashfsListing.Format(outer));
    }

    [Fact]
    public void Should_refuse_squashfs_2_big_endian_by_name()
    {
        string path = Repo.CorpusFile("firmware/binwalk/squashfs_v2.bin");
        using FileStream f = File.OpenRead(path);
        var e = Assert.Throws<FootprintFormatException>(() => new SquashfsReader(f, path));
        Assert.StartsWith("unsupported: squashfs 2.0 big-endian", e.Message[(e.Message.IndexOf("unsupported", StringComparison.Ordinal))..], StringComparison.Ordinal);

        byte[] head = new byte[96];
        f.Position = 0;
        f.ReadExactly(head);
        Assert.False(SquashfsReader.TryReadSuperblock(head, out _, out string? why));
        Assert.StartsWith("unsupported: squashfs 2.0 big-endian", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_carve_a_4_0_superblock()
    {
        byte[] head = File.ReadAllBytes(PathOf("fixture:lz4"))[..96];
        Assert.True(SquashfsReader.TryReadSuperblock(head, out SquashfsSuperblock sb, out string? why));
        Assert.Null(why);
        Assert.Equal(SquashfsCompression.Lz4, sb.Compression);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), sb.ModificationTime);
        Assert.False(SquashfsReader.TryReadSuperblock("not squashfs"u8, out _, out why));
        Assert.Null(why);
    }
}
