using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Footprint.Formats;
using Footprint.Formats.Fat;
using Footprint.Formats.Firmware;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Firmware;

/// <summary>
/// Ground truth: binwalk 2.3 (offsets of uImage, LZMA, squashfs, TP-Link headers), unsquashfs (-s size, -lln listing of
/// the carved bytes against -o OFFSET on the image), mkimage -l (uImage name), grep (deadc0de), jq (sysupgrade JSON),
/// file (bzImage kernel version), and the offsets tests/fixtures/firmware.sh wrote its pieces at.
/// </summary>
public sealed partial class FirmwareScannerTests
{
    public static TheoryData<string> Images()
    {
        var data = new TheoryData<string>();
        foreach (string dir in new[] { "firmware/openwrt", "firmware/binwalk" })
        {
            foreach (string f in Directory.GetFiles(Repo.CorpusFile(dir), "*.bin", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Corpus, f));
            }
        }

        data.Add("fixture:firmware/openwrt-like.bin");
        data.Add("fixture:firmware/mixed.bin");
        return data;
    }

    private static string PathOf(string spec) => spec.StartsWith("fixture:", StringComparison.Ordinal)
        ? Repo.Fixture(spec["fixture:".Length..])
        : Repo.CorpusFile(spec);

    private static IReadOnlyList<FirmwarePart> Scan(string path)
    {
        using FileStream f = File.OpenRead(path);
        return FirmwareScanner.Scan(f, path);
    }

    private static string Listing(IEnumerable<FirmwarePart> parts)
        => string.Join('\n', parts.Select(p => $"{p.Offset} {p.Length} {p.Type} {p.Description}"));

    [GeneratedRegex(@"^(\d+)\s+0x[0-9A-F]+\s+(.*)$", RegexOptions.Multiline)]
    private static partial Regex BinwalkLine();

    private static readonly (string Prefix, string Type)[] BinwalkTypes =
    [
        ("uImage header", "uimage"),
        ("LZMA compressed data", "lzma"),
        ("Squashfs filesystem", "squashfs"),
        ("TP-Link firmware header", "tplink-header"),
    ];

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_find_the_uimage_lzma_squashfs_and_tplink_offsets_binwalk_finds(string spec)
    {
        string path = PathOf(spec);
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        string binwalk = Tool.Output("binwalk", path);
        var expected = BinwalkLine().Matches(binwalk)
            .Select(m => (Offset: long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Text: m.Groups[2].Value))
            .SelectMany(m => BinwalkTypes.Where(t => m.Text.StartsWith(t.Prefix, StringComparison.Ordinal)).Select(t => $"{t.Type}@{m.Offset}"))
            .Order(StringComparer.Ordinal).ToList();
        // binwalk 2.3 knows TP-Link headers only with the vendor "TP-LINK Technologies"; OpenWrt's mktplinkfw writes "OpenWrt"
        var actual = parts.Where(p => BinwalkTypes.Any(t => t.Type == p.Type) && (p.Type != "tplink-header" || p.Details["vendor"] == "TP-LINK Technologies"))
            .Select(p => $"{p.Type}@{p.Offset}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual), $"binwalk: {string.Join(", ", expected)}\nours:\n{Listing(parts)}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_bound_a_squashfs_exactly_as_unsquashfs_reads_it(string spec)
    {
        string path = PathOf(spec);
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        using var tmp = new TempDir();
        foreach (FirmwarePart p in parts.Where(p => p.Type == "squashfs" && p.Details["supported"] == "true"))
        {
            string carved = tmp[$"sq-{p.Offset}"];
            using (FileStream src = File.OpenRead(path))
            using (FileStream dst = File.Create(carved))
            {
                src.Position = p.Offset;
                byte[] bytes = new byte[p.Length];
                src.ReadExactly(bytes);
                dst.Write(bytes);
            }

            string info = Tool.Output("unsquashfs", "-s", carved);
            Assert.Contains($"Filesystem size {p.Length} bytes", info, StringComparison.Ordinal);
            string fromCarved = Tool.Output("unsquashfs", "-lln", "-d", "R", carved);
            string fromImage = Tool.Output("unsquashfs", "-lln", "-d", "R", "-o", p.Offset.ToString(CultureInfo.InvariantCulture), path);
            Assert.Equal(fromImage, fromCarved);
            Assert.Contains("R/", fromCarved, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_report_the_deadc0de_markers_grep_finds_on_erase_block_boundaries(string spec)
    {
        string path = PathOf(spec);
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        var squashfs = parts.Where(p => p.Type is "squashfs" or "jffs2").ToList();
        string grep = Tool.Run("bash", "-c", $"LC_ALL=C grep -obUaP '\\xde\\xad\\xc0\\xde' '{path}' | cut -d: -f1").Stdout;
        var expected = grep.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture))
            .Where(o => o % 4096 == 0 && !squashfs.Any(s => o >= s.Offset && o < s.Offset + s.Length)).ToList();
        Assert.Equal(expected, parts.Where(p => p.Type == "jffs2-eof-marker").Select(p => p.Offset).ToList());
    }

    [Theory]
    [InlineData("firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-factory.bin")]
    [InlineData("firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-sysupgrade.bin")]
    [InlineData("firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin")]
    [InlineData("firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin")]
    public void Should_read_the_tplink_header_whose_kernel_is_the_lzma_binwalk_finds(string relative)
    {
        string path = Repo.CorpusFile(relative);
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        FirmwarePart header = Assert.Single(parts, p => p.Type == "tplink-header");
        Assert.Equal(0, header.Offset);
        string binwalk = Tool.Output("binwalk", path);
        long Binwalk(string prefix) => BinwalkLine().Matches(binwalk).Where(m => m.Groups[2].Value.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Single();
        long kernelOffset = Convert.ToInt64(header.Details["kernel_offset"], 16);
        long kernelLength = long.Parse(header.Details["kernel_length"], CultureInfo.InvariantCulture);
        Assert.Equal(Binwalk("LZMA compressed data"), kernelOffset);
        Assert.Equal(Binwalk("Squashfs filesystem"), kernelOffset + kernelLength);
        FirmwarePart kernel = Assert.Single(parts, p => p.Type == "lzma");
        Assert.Equal(kernelLength, kernel.Length);
        string hwId = Tool.Shell($"od -An -tx1 -j64 -N4 '{path}' | tr -d ' \\n'");
        Assert.Equal("0x" + hwId.TrimStart('0'), header.Details["hw_id"]);

        // the kernel's banner, as the decompressed bytes hold it
        string? version = FirmwareScanner.ReadKernelVersion(File.OpenRead(path), kernel.Offset, kernel.Length);
        string strings = Tool.Shell($"dd if='{path}' bs=1M iflag=skip_bytes,count_bytes skip={kernel.Offset} count={kernel.Length} status=none | {{ lzma -dc 2>/dev/null || true; }} | {{ grep -a -o 'Linux version [[:print:]]*' || true; }} | awk 'NR==1'").Trim();
        if (strings.Length == 0)
        {
            Assert.Null(version); // the CC KRACK kernel holds no plain banner: neither finds one
        }
        else
        {
            Assert.Equal(strings, "Linux version " + version);
        }
    }

    [Fact]
    public void Should_read_the_uimage_name_mkimage_lists_and_the_kernel_banner_inside()
    {
        string path = Repo.Fixture("firmware/openwrt-like.bin");
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        FirmwarePart uimage = Assert.Single(parts, p => p.Type == "uimage");
        using var tmp = new TempDir();
        Tool.Shell($"dd if='{path}' of='{tmp["u"]}' bs=1M iflag=count_bytes count={uimage.Offset + uimage.Length} status=none");
        string listed = Tool.Output("mkimage", "-l", tmp["u"]);
        Assert.Contains($"Image Name:   {uimage.Details["name"]}\n", listed, StringComparison.Ordinal);
        Assert.Equal("ok", uimage.Details["data_crc"]);
        Assert.Equal(uimage.Details["name"], FirmwareScanner.ReadKernelVersion(File.OpenRead(path), uimage.Offset, uimage.Length));
        FirmwarePart lzma = Assert.Single(parts, p => p.Type == "lzma");
        Assert.Equal(uimage.Offset + 64, lzma.Offset);
        Assert.Equal(uimage.Length - 64, lzma.Length);
        string banner = Tool.Shell($"dd if='{path}' bs=1M iflag=skip_bytes,count_bytes skip={lzma.Offset} count={lzma.Length} status=none | lzma -dc | grep -a -o 'Linux version [[:print:]]*' | awk 'NR==1'");
        Assert.Equal(banner.Trim(), "Linux version " + FirmwareScanner.ReadKernelVersion(File.OpenRead(path), lzma.Offset, lzma.Length));
    }

    [Fact]
    public void Should_parse_the_sysupgrade_metadata_json_as_jq_reads_the_trailer()
    {
        string path = Repo.Fixture("firmware/openwrt-like.bin");
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        FirmwarePart meta = Assert.Single(parts, p => p.Type == "sysupgrade-metadata");
        Assert.Equal(new FileInfo(path).Length, meta.Offset + meta.Length);
        // the trailer's size field (last 4 bytes, big-endian) gives the block; the JSON follows the 8-byte header
        string size = Tool.Shell($"tail -c 4 '{path}' | od -An -tu1 | awk '{{print $1*16777216+$2*65536+$3*256+$4}}'").Trim();
        Assert.Equal(size, meta.Length.ToString(CultureInfo.InvariantCulture));
        long jsonStart = meta.Offset + 8, jsonLength = meta.Length - 16 - 8;
        string jq = Tool.Shell($"dd if='{path}' bs=1M iflag=skip_bytes,count_bytes skip={jsonStart} count={jsonLength} status=none | jq -c .");
        Assert.Equal(jq.Trim(), JsonSerializer.Serialize(JsonDocument.Parse(meta.Details["json"]).RootElement));
        string release = Tool.Shell($"jq -r .version.version '{Repo.Fixture("firmware/metadata.json")}'").Trim();
        Assert.Equal(release, meta.Details["version.version"]);
        Assert.Equal(Tool.Shell($"jq -r .version.board '{Repo.Fixture("firmware/metadata.json")}'").Trim(), meta.Details["version.board"]);
        Assert.Single(parts, p => p.Type == "jffs2-eof-marker" && p.Offset + 4 == meta.Offset);
    }

    [Fact]
    public void Should_bound_each_piece_of_the_mixed_image_where_the_fixture_wrote_it()
    {
        string path = Repo.Fixture("firmware/mixed.bin");
        IReadOnlyList<FirmwarePart> parts = Scan(path);
        foreach (string line in File.ReadAllLines(Repo.Fixture("firmware/offsets.txt")))
        {
            string[] f = line.Split(' ');
            long offset = long.Parse(f[1], CultureInfo.InvariantCulture);
            long length = long.Parse(f[2], CultureInfo.InvariantCulture);
            FirmwarePart? p = parts.FirstOrDefault(p => p.Offset == offset && p.Type == f[0]);
            Assert.True(p is not null, $"{line} not found in\n{Listing(parts)}");
            if (p.Type is "ext" or "fat" or "iso9660")
            {
                Assert.Equal(length, p.Length);
            }
            else if (p.Type == "cpio")
            {
                // the archive ends with its TRAILER!!! entry; GNU cpio pads what it writes to 512-byte blocks
                Assert.Equal(length, (p.Length + 511) / 512 * 512);
            }
        }

        // nothing reported inside the bounded filesystems
        foreach (FirmwarePart outer in parts.Where(p => p.Type is "cpio" or "ext" or "fat" or "iso9660" or "squashfs"))
        {
            Assert.DoesNotContain(parts, p => p != outer && p.Offset > outer.Offset && p.Offset < outer.Offset + outer.Length);
        }
    }

    [Theory]
    [InlineData("images/floppinux/floppinux.img")]
    [InlineData("images/initramfs_sandbox/busybox-linux-boot.img")]
    public void Should_read_the_bzimage_kernel_version_file_reports(string relative)
    {
        string img = Repo.CorpusFile(relative);
        using FileStream file = File.OpenRead(img);
        using var fat = new FatReader(file, img);
        using var tmp = new TempDir();
        string kernel = tmp["bzImage"];
        using (Stream data = fat.OpenFile("bzImage"))
        using (FileStream dst = File.Create(kernel))
        {
            data.CopyTo(dst);
        }

        string fileSays = Tool.Output("file", "-b", kernel);
        string? version;
        using (FileStream k = File.OpenRead(kernel))
        {
            version = FirmwareScanner.ReadKernelVersion(k, 0, k.Length);
            IReadOnlyList<FirmwarePart> parts = FirmwareScanner.Scan(k, kernel);
            FirmwarePart bz = Assert.Single(parts, p => p.Type == "bzimage");
            Assert.Equal(0, bz.Offset);
            Assert.Equal(version, bz.Details["kernel_version"]);
        }

        Assert.NotNull(version);
        Assert.Contains($"version {version},", fileSays, StringComparison.Ordinal);

        // the same kernel found inside the whole floppy image
        IReadOnlyList<FirmwarePart> inImage = FirmwareScanner.Scan(File.OpenRead(img), img);
        Assert.Contains(inImage, p => p.Type == "fat" && p.Offset == 0);
    }

    [Fact]
    public void Should_report_old_squashfs_versions_as_unsupported_with_binwalks_size()
    {
        string path = Repo.CorpusFile("firmware/binwalk/squashfs_v2.bin");
        FirmwarePart p = Assert.Single(Scan(path), p => p.Type == "squashfs");
        Assert.Equal("false", p.Details["supported"]);
        Assert.Equal("2.0", p.Details["version"]);
        Assert.Contains("size: " + p.Length + " bytes", Tool.Output("binwalk", path), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_scan_in_linear_time_an_image_full_of_magics()
    {
        // 8 MiB of candidate magics back to back: every offset triggers a check, none may trigger a rescan
        byte[] unit = [0x27, 0x05, 0x19, 0x56, 0x68, 0x73, 0x71, 0x73, 0x85, 0x19, 0x1F, 0x8B, 0x08, 0x5D, 0x00, 0x00, 0x80, 0x00, 0x30, 0x37, 0x30, 0x37, 0x30, 0x31, 0x48, 0x64, 0x72, 0x53, 0x43, 0x44, 0x30, 0x30, 0x31, 0xDE, 0xAD, 0xC0, 0xDE];
        byte[] image = new byte[8 << 20];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = unit[i % unit.Length];
        }

        var sw = Stopwatch.StartNew();
        _ = FirmwareScanner.Scan(new MemoryStream(image), "magics");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_never_throw_on_truncated_or_corrupted_images(string spec)
    {
        byte[] good = File.ReadAllBytes(PathOf(spec));
        IReadOnlyList<FirmwarePart> parts = FirmwareScanner.Scan(new MemoryStream(good), "good");
        var decoded = new HashSet<string>(StringComparer.Ordinal);
        var cuts = parts.SelectMany(p => new[] { p.Offset + 1, p.Offset + 13, p.Offset + 64, p.Offset + (p.Length / 2), p.Offset + p.Length - 1 })
            .Where(c => c > 0 && c < good.Length).Distinct().Take(40);
        foreach (long cut in cuts)
        {
            AssertScanSurvives(good.AsSpan(0, (int)cut).ToArray(), decoded);
        }

        var rng = new Random(42);
        foreach (FirmwarePart p in parts.Take(10))
        {
            for (int i = 0; i < 20; i++)
            {
                byte[] bad = (byte[])good.Clone();
                long at = p.Offset + rng.Next(0, (int)Math.Min(p.Length, 256));
                if (at < bad.Length)
                {
                    bad[at] = (byte)rng.Next(256);
                    AssertScanSurvives(bad, decoded);
                }
            }
        }
    }

    /// <param name="bytes">The damaged image.</param>
    /// <param name="decoded">
    /// Kernel windows already read without an exception, by content. ReadKernelVersion reads only the bytes in
    /// [offset, offset + length) (a WindowStream over them), so a window whose bytes were already read gives the same
    /// outcome again: most corruptions land outside the kernel, and decompressing its unchanged megabytes once per
    /// corruption made this test 25 s an image instead of 2.
    /// </param>
    private static void AssertScanSurvives(byte[] bytes, HashSet<string> decoded)
    {
        try
        {
            IReadOnlyList<FirmwarePart> parts = FirmwareScanner.Scan(new MemoryStream(bytes), "bad");
            foreach (FirmwarePart p in parts)
            {
                Assert.True(p.Offset >= 0 && p.Length >= 0 && p.Offset + p.Length <= bytes.Length, $"{p.Type} at {p.Offset}+{p.Length} outside {bytes.Length} bytes");
                long length = Math.Min(p.Length, 4 << 20);
                if (p.Type is "lzma" or "gzip" or "xz" or "bzimage" or "uimage"
                    && decoded.Add(Convert.ToHexString(SHA256.HashData(bytes.AsSpan((int)p.Offset, (int)Math.Min(length, bytes.Length - p.Offset))))))
                {
                    _ = FirmwareScanner.ReadKernelVersion(new MemoryStream(bytes), p.Offset, length);
                }
            }
        }
        catch (FootprintFormatException)
        {
        }
    }
}
