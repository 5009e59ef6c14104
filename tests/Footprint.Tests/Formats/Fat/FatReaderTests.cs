using System.Buffers.Binary;
using System.Globalization;
using Footprint.Formats;
using Footprint.Formats.Fat;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Fat;

/// <summary>
/// Ground truth: mtools on the same bytes. Names from `mdir -/ -a -b`, read-only flags from `mattrib -/`, sizes,
/// contents (SHA-256) and modification times from `mcopy -s -m` extraction (TZ=UTC, so FAT's local time reads as UTC).
/// Fixtures: tests/fixtures/fat.sh (dosfstools, mtools); corpus boot floppies and an EFI image.
/// </summary>
public sealed class FatReaderTests
{
    private const string Mtools = "export MTOOLS_SKIP_CHECK=1 TZ=UTC; ";

    private sealed record ReadEntry(FileEntry Entry, string? Sha256);

    public static TheoryData<string> Images() => new()
    {
        "fixture:fat/fat12.img",
        "fixture:fat/fat16.img",
        "fixture:fat/fat32.img",
        "corpus:images/floppinux/floppinux.img",
        "corpus:images/initramfs_sandbox/busybox-linux-boot.img",
        "corpus:images/live-iso/antix-efi.img",
    };

    private static string PathOf(string spec) => spec.StartsWith("fixture:", StringComparison.Ordinal)
        ? Repo.Fixture(spec["fixture:".Length..])
        : Repo.CorpusFile(spec["corpus:".Length..]);

    private static List<ReadEntry> ReadAll(Stream stream, string source, out FatVolumeInfo volume)
    {
        var result = new List<ReadEntry>();
        using var reader = new FatReader(stream, source);
        volume = reader.Volume;
        while (reader.GetNextEntry() is { } entry)
        {
            string? sha = null;
            if (entry.Kind == FileKind.Regular)
            {
                using Stream data = reader.OpenData();
                sha = ExternalTools.Sha256(data);
            }

            result.Add(new ReadEntry(entry, sha));
        }

        return result;
    }

    private static List<ReadEntry> ReadAll(string path, out FatVolumeInfo volume)
    {
        using FileStream file = File.OpenRead(path);
        return ReadAll(file, path, out volume);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_list_the_names_mdir_lists(string spec)
    {
        string img = PathOf(spec);
        List<ReadEntry> entries = ReadAll(img, out _);
        string mdir = Tool.Shell(Mtools + $"mdir -i '{img}' -/ -a -b ::");
        var expected = mdir.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l["::/".Length..]).Order(StringComparer.Ordinal).ToList();
        var actual = entries.Select(e => e.Entry.Kind == FileKind.Directory ? e.Entry.Name + "/" : e.Entry.Name).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_read_the_sizes_contents_and_times_mcopy_extracts(string spec)
    {
        string img = PathOf(spec);
        List<ReadEntry> entries = ReadAll(img, out _);
        using var tmp = new TempDir();
        string outDir = tmp["x"];
        Tool.Shell(Mtools + $"mkdir '{outDir}' && mcopy -i '{img}' -s -n -m '::/*' '{outDir}/'");
        string found = Tool.Shell($"cd '{outDir}' && find . -mindepth 1 -printf '%P\\t%y\\t%s\\t%T@\\n'");
        var fs = found.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f);
        Assert.Equal(fs.Count, entries.Count);
        foreach ((FileEntry e, string? sha) in entries)
        {
            Assert.True(fs.TryGetValue(e.Name, out string[]? f), $"mcopy did not extract '{e.Name}'");
            Assert.Equal(e.Kind == FileKind.Directory ? "d" : "f", f[1]);
            if (e.Kind == FileKind.Regular)
            {
                Assert.Equal(long.Parse(f[2], CultureInfo.InvariantCulture), e.SizeBytes);
                Assert.Equal(ExternalTools.Sha256File(Path.Combine(outDir, e.Name)), sha);
                long seconds = (long)double.Parse(f[3], CultureInfo.InvariantCulture);
                Assert.Equal(seconds, e.ModificationTime.ToUnixTimeSeconds());
            }

            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Should_give_read_only_files_mode_0444_as_mattrib_shows(string spec)
    {
        string img = PathOf(spec);
        List<ReadEntry> entries = ReadAll(img, out _);
        var readOnly = Tool.Shell(Mtools + $"mattrib -i '{img}' -/ ::").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Length > 12 && l[..12].Contains('R', StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("::/", StringComparison.Ordinal) + 3)..])
            .ToHashSet(StringComparer.Ordinal);
        foreach ((FileEntry e, _) in entries)
        {
            int expected = e.Kind == FileKind.Directory ? 0b111_101_101 : readOnly.Contains(e.Name) ? 0b100_100_100 : 0b110_100_100;
            Assert.True(expected == e.Mode, $"{e.Name}: mode {Convert.ToString(e.Mode, 8)}");
        }

        if (spec.Contains("fixture", StringComparison.Ordinal))
        {
            Assert.Contains("ro.txt", readOnly);
        }
    }

    [Theory]
    [InlineData("fat/fat12.img", "FAT12")]
    [InlineData("fat/fat16.img", "FAT16")]
    [InlineData("fat/fat32.img", "FAT32")]
    public void Should_report_the_fat_type_and_label_minfo_reports(string fixture, string fatType)
    {
        string img = Repo.Fixture(fixture);
        using FileStream file = File.OpenRead(img);
        using var reader = new FatReader(file, img);
        Assert.Equal(fatType, reader.Volume.FatType);
        string minfo = Tool.Shell(Mtools + $"minfo -i '{img}' ::");
        Assert.Contains($"sector size: {reader.Volume.BytesPerSector} bytes", minfo, StringComparison.Ordinal);
        Assert.Contains($"cluster size: {reader.Volume.SectorsPerCluster} sectors", minfo, StringComparison.Ordinal);
        string vol = Tool.Shell(Mtools + $"mlabel -i '{img}' -s ::");
        Assert.Contains(reader.Volume.VolumeLabel!, vol, StringComparison.Ordinal);
        Assert.Equal("mkfs.fat", reader.Volume.OemName);
    }

    [Fact]
    public void Should_read_a_fragmented_file_whose_chain_is_not_contiguous()
    {
        string img = Repo.Fixture("fat/fat12.img");
        byte[] bytes = File.ReadAllBytes(img);
        using var reader = new FatReader(new MemoryStream(bytes), img);
        FileEntry entry = Assert.IsType<FileEntry>(reader.TryGetFile("FRAGMENTED.BIN", out FileEntry e) ? e : null);
        uint first = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)entry.Offset + 26));
        var chain = Fat12Chain(bytes, first);
        Assert.Contains(chain.Zip(chain.Skip(1)), p => p.Second != p.First + 1);
    }

    [Theory]
    [InlineData("corpus:images/floppinux/floppinux.img", "/BZIMAGE")]
    [InlineData("corpus:images/initramfs_sandbox/busybox-linux-boot.img", "bzImage")]
    [InlineData("corpus:images/live-iso/antix-efi.img", "EFI/Boot/BOOTX64.EFI")]
    public void Should_open_a_file_by_path_ignoring_case(string spec, string path)
    {
        string img = PathOf(spec);
        using FileStream file = File.OpenRead(img);
        using var reader = new FatReader(file, img);
        Assert.True(reader.TryGetFile(path, out FileEntry entry));
        Assert.False(reader.TryGetFile(path + ".missing", out _));
        using Stream data = reader.OpenFile(path);
        using var tmp = new TempDir();
        Tool.Shell(Mtools + $"mcopy -i '{img}' '::/{entry.Name}' '{tmp["f"]}'");
        Assert.Equal(ExternalTools.Sha256File(tmp["f"]), ExternalTools.Sha256(data));
    }

    [Fact]
    public void Should_reject_a_floppy_without_a_bios_parameter_block_as_mdir_does()
    {
        string img = Repo.CorpusFile("images/floppy-linux/floppy-linux.img");
        Assert.NotEqual(0, Tool.Run("bash", "-c", Mtools + $"mdir -i '{img}' ::").ExitCode);
        using FileStream file = File.OpenRead(img);
        var ex = Assert.Throws<FootprintFormatException>(() => new FatReader(file, img));
        Assert.Contains(img, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Fixtures() => new() { "fat/fat12.img", "fat/fat16.img", "fat/fat32.img" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_throw_a_format_error_when_truncated_at_any_structural_boundary(string fixture)
    {
        string img = Repo.Fixture(fixture);
        byte[] bytes = File.ReadAllBytes(img);
        Layout l = Layout.Of(bytes);
        long[] cuts = [0, 11, 100, 511, 512, l.FatStart + 1, l.FatStart + (l.FatBytes / 2), l.RootStart, l.RootStart + 40, l.DataStart, l.DataStart + l.ClusterBytes + 7, l.DataStart + (40L * l.ClusterBytes)];
        foreach (long cut in cuts)
        {
            var ex = Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(bytes, 0, (int)cut), "cut", out _));
            Assert.Contains("cut", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_throw_a_format_error_for_a_corrupt_bpb(string fixture)
    {
        byte[] good = File.ReadAllBytes(Repo.Fixture(fixture));
        (int At, byte[] Value)[] corruptions =
        [
            (11, [0, 0]),           // bytes per sector 0
            (11, [0x00, 0x03]),     // 768 bytes per sector
            (13, [3]),              // 3 sectors per cluster
            (13, [0]),
            (14, [0, 0]),           // no reserved sectors
            (16, [0]),              // no FATs
            (17, [0xFF, 0xFF]),     // 65535 root entries
            (19, [0xFF, 0xFF]),     // total sectors past the image
            (22, [0xFF, 0xFF]),     // FAT size
            (32, [0xFF, 0xFF, 0xFF, 0xFF]),
            (36, [0xFF, 0xFF, 0xFF, 0x7F]),
            (510, [0, 0]),          // no boot signature
        ];
        foreach ((int at, byte[] value) in corruptions)
        {
            byte[] bytes = (byte[])good.Clone();
            value.CopyTo(bytes, at);
            AssertFormatErrorOrSameListing(bytes, good, $"BPB byte {at}");
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_throw_a_format_error_naming_the_file_for_a_bad_cluster_chain(string fixture)
    {
        byte[] good = File.ReadAllBytes(Repo.Fixture(fixture));
        Layout l = Layout.Of(good);
        (FileEntry big, FileEntry dir, FileEntry subdir) = Find(good, "A file spanning Many Clusters.bin", "boot", "boot/syslinux");
        uint first = l.FirstCluster(good, big);
        uint max = l.ClusterCount + 1;
        uint[] badNext = [first, 0, max + 1, l.Bits == 12 ? 0xFF7u : l.Bits == 16 ? 0xFFF7u : 0x0FFFFFF7u];
        foreach (uint next in badNext)
        {
            byte[] bytes = (byte[])good.Clone();
            l.SetFatEntry(bytes, first, next);
            var ex = Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(bytes), "img", out _));
            Assert.Contains("A file spanning Many Clusters.bin", ex.Message, StringComparison.Ordinal);
        }

        // first cluster outside the volume
        byte[] outside = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(outside.AsSpan((int)big.Offset + 26), 0xFFF0);
        BinaryPrimitives.WriteUInt16LittleEndian(outside.AsSpan((int)big.Offset + 20), 0x0FFF);
        Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(outside), "img", out _));

        // size larger than the chain
        byte[] tooBig = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooBig.AsSpan((int)big.Offset + 28), (uint)big.SizeBytes + (uint)(l.ClusterBytes * 3));
        var e2 = Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(tooBig), "img", out _));
        Assert.Contains($"offset {big.Offset}", e2.Message, StringComparison.Ordinal);
        Assert.Contains("A file spanning Many Clusters.bin", e2.Message, StringComparison.Ordinal);
        byte[] huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan((int)big.Offset + 28), 0xFFFFFFF0);
        Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(huge), "img", out _));

        // directory loop: boot/syslinux points back at boot
        byte[] loop = (byte[])good.Clone();
        uint bootCluster = l.FirstCluster(good, dir);
        BinaryPrimitives.WriteUInt16LittleEndian(loop.AsSpan((int)subdir.Offset + 26), (ushort)bootCluster);
        BinaryPrimitives.WriteUInt16LittleEndian(loop.AsSpan((int)subdir.Offset + 20), (ushort)(bootCluster >> 16));
        var e3 = Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(loop), "img", out _));
        Assert.Contains("loop", e3.Message, StringComparison.Ordinal);

        // a directory whose chain loops on itself
        byte[] dirChainLoop = (byte[])good.Clone();
        l.SetFatEntry(dirChainLoop, bootCluster, bootCluster);
        Assert.Throws<FootprintFormatException>(() => ReadAll(new MemoryStream(dirChainLoop), "img", out _));
    }

    [Fact]
    public void Should_fall_back_to_the_short_name_when_the_long_name_checksum_does_not_match()
    {
        byte[] bytes = File.ReadAllBytes(Repo.Fixture("fat/fat12.img"));
        (FileEntry big, _, _) = Find(bytes, "A file spanning Many Clusters.bin", "boot", "boot/syslinux");
        bytes[big.Offset - 32 + 13] ^= 0x5A; // checksum of the long-name piece just before the short entry
        List<ReadEntry> entries = ReadAll(new MemoryStream(bytes), "img", out _);
        Assert.DoesNotContain(entries, e => e.Entry.Name == "A file spanning Many Clusters.bin");
        Assert.Contains(entries, e => e.Entry.Name == "AFILES~1.BIN" && e.Entry.SizeBytes == big.SizeBytes);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_survive_every_single_byte_corruption_of_the_metadata_with_a_format_error_or_a_listing(string fixture)
    {
        byte[] good = File.ReadAllBytes(Repo.Fixture(fixture));
        Layout l = Layout.Of(good);
        var rng = new Random(1234);
        long metadataEnd = l.DataStart + (8L * l.ClusterBytes);
        for (int i = 0; i < 400; i++)
        {
            byte[] bytes = (byte[])good.Clone();
            int at = rng.Next(0, (int)metadataEnd);
            bytes[at] = (byte)rng.Next(256);
            try
            {
                _ = ReadAll(new MemoryStream(bytes), "img", out _);
            }
            catch (FootprintFormatException)
            {
            }
        }
    }

    private static void AssertFormatErrorOrSameListing(byte[] bytes, byte[] good, string what)
    {
        try
        {
            _ = ReadAll(new MemoryStream(bytes), "img", out _);
        }
        catch (FootprintFormatException)
        {
            return;
        }

        // a corruption that still describes a consistent volume (e.g. a larger FAT or more reserved sectors) may list
        // something else, but never an entry from outside the image
        Assert.All(ReadAll(new MemoryStream(bytes), "img", out _), e => Assert.True(e.Entry.Offset < bytes.Length, what));
        _ = good;
    }

    private static (FileEntry, FileEntry, FileEntry) Find(byte[] bytes, string a, string b, string c)
    {
        List<ReadEntry> all = ReadAll(new MemoryStream(bytes), "img", out _);
        FileEntry Get(string n) => all.Single(e => e.Entry.Name == n).Entry;
        return (Get(a), Get(b), Get(c));
    }

    private static List<uint> Fat12Chain(byte[] bytes, uint first)
    {
        Layout l = Layout.Of(bytes);
        var chain = new List<uint>();
        for (uint c = first; c < 0xFF8 && chain.Count < 5000; c = l.GetFatEntry(bytes, c))
        {
            chain.Add(c);
        }

        return chain;
    }

    /// <summary>Where things are, computed from the BPB independently of the reader (fatgen103).</summary>
    private sealed record Layout(long FatStart, long FatBytes, long RootStart, long DataStart, int ClusterBytes, uint ClusterCount, int Bits)
    {
        public static Layout Of(byte[] b)
        {
            int bps = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(11));
            int spc = b[13];
            int rsvd = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(14));
            int nfats = b[16];
            int rootEnt = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(17));
            long tot = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(19));
            if (tot == 0)
            {
                tot = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(32));
            }

            long fatSz = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(22));
            if (fatSz == 0)
            {
                fatSz = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(36));
            }

            long rootSecs = ((rootEnt * 32) + bps - 1) / bps;
            long data = rsvd + (nfats * fatSz) + rootSecs;
            uint count = (uint)((tot - data) / spc);
            int bits = count < 4085 ? 12 : count < 65525 ? 16 : 32;
            return new Layout(rsvd * bps, fatSz * bps, (rsvd + (nfats * fatSz)) * bps, data * bps, bps * spc, count, bits);
        }

        public uint FirstCluster(byte[] b, FileEntry e)
            => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)e.Offset + 26)) | (Bits == 32 ? (uint)BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)e.Offset + 20)) << 16 : 0);

        public uint GetFatEntry(byte[] b, uint cluster)
        {
            int fat = (int)FatStart;
            return Bits switch
            {
                12 => (cluster & 1) == 0
                    ? (uint)((b[fat + (int)(cluster * 3 / 2)] | (b[fat + (int)(cluster * 3 / 2) + 1] << 8)) & 0xFFF)
                    : (uint)((b[fat + (int)(cluster * 3 / 2)] | (b[fat + (int)(cluster * 3 / 2) + 1] << 8)) >> 4),
                16 => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(fat + (int)(cluster * 2))),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(fat + (int)(cluster * 4))) & 0x0FFFFFFF,
            };
        }

        public void SetFatEntry(byte[] b, uint cluster, uint value)
        {
            int fat = (int)FatStart;
            switch (Bits)
            {
                case 12:
                    {
                        int at = fat + (int)(cluster * 3 / 2);
                        int pair = b[at] | (b[at + 1] << 8);
                        pair = (cluster & 1) == 0 ? (pair & 0xF000) | (int)(value & 0xFFF) : (pair & 0x000F) | (int)((value & 0xFFF) << 4);
                        b[at] = (byte)pair;
                        b[at + 1] = (byte)(pair >> 8);
                        break;
                    }

                case 16:
                    BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(fat + (int)(cluster * 2)), (ushort)value);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(fat + (int)(cluster * 4)), value);
                    break;
            }
        }
    }
}
