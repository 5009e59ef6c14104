using System.Globalization;
using Footprint.Formats;
using Footprint.Formats.Iso9660;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Iso9660;

/// <summary>
/// Every fixture ISO (tests/fixtures/iso.sh) and the ISOs shipped in Debian packages, read in each name space and
/// compared with xorriso (libisofs) on the same bytes: listing, contents, mtimes, El Torito, partitions; and with
/// isoinfo -R for Rock Ridge link counts.
/// </summary>
public sealed class IsoReaderTests
{
    private static readonly string[] Images =
    [
        "plain-l1.iso", "joliet.iso", "rr.iso", "rr-joliet.iso", "level3.iso", "geniso-rr.iso", "geniso-plain.iso",
        "eltorito.iso", "hybrid-mbr.iso", "hybrid-gpt.iso", "small.iso", "multi-extent.iso",
        "debian/ipxe-ipxe.iso", "debian/grub-rescue-pc-grub-rescue-cdrom.iso",
    ];

    public static TheoryData<string, string> ImagesAndNames()
    {
        var data = new TheoryData<string, string>();
        foreach (string image in Images)
        {
            foreach (string names in new[] { "Auto", "Joliet", "Plain" })
            {
                data.Add(image, names);
            }
        }

        return data;
    }

    public static TheoryData<string> AllImages() => new(Images);

    [Theory]
    [MemberData(nameof(ImagesAndNames))]
    public void Should_list_what_xorriso_lists(string image, string names)
    {
        string iso = Repo.Fixture("iso/" + image);
        Dictionary<string, XorrisoTruth.Line> truth = XorrisoTruth.List(iso, XorrisoTruth.ReadFs(names));
        List<FileEntry> entries = ReadAll(iso, names, out _);
        Dictionary<string, FileEntry> byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);

        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (FileEntry e in entries)
        {
            XorrisoTruth.Line t = truth[e.Name];
            // xorriso shows the El Torito boot catalog as type "e"; it is a regular file of the tree.
            FileEntry data = e.Kind == FileKind.HardLink ? byName[e.LinkTarget!] : e;
            Assert.True((t.Type == 'e' ? '-' : t.Type) == TypeChar(data.Kind), $"{e.Name}: xorriso type {t.Type}, ours {e.Kind}");
            Assert.True(t.Mode == e.Mode, $"{e.Name}: xorriso mode {Convert.ToString(t.Mode, 8)}, ours {Convert.ToString(e.Mode, 8)}");
            Assert.Equal((t.Uid, t.Gid), (e.Uid, e.Gid));
            string size = data.Kind switch
            {
                FileKind.Regular => data.SizeBytes.ToString(CultureInfo.InvariantCulture),
                FileKind.CharDevice or FileKind.BlockDevice => $"{e.DeviceMajor},{e.DeviceMinor}",
                _ => "0",
            };
            string expectedSize = t.Size;
            if (image == "geniso-rr.iso" && data.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            {
                // genisoimage writes PN as (high = major, low = minor), as the kernel reads it; libisofs reads high:low as
                // one 64-bit dev_t and shows /dev/null as 0,1048579. The source tree is the truth here.
                expectedSize = Tool.Output("stat", "-c", "%Hr,%Lr", Repo.Fixture("iso/src/" + e.Name)).Trim();
            }

            Assert.True(expectedSize == size, $"{e.Name}: xorriso size {t.Size} (expected {expectedSize}), ours {size}");
            Assert.Equal(t.Target, e.Kind == FileKind.Symlink ? e.LinkTarget : null);
        }

        // parents before children
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (FileEntry e in entries)
        {
            int slash = e.Name.LastIndexOf('/');
            Assert.True(slash < 0 || seen.Contains(e.Name[..slash]), $"{e.Name} yielded before its parent");
            seen.Add(e.Name);
        }
    }

    [Theory]
    [MemberData(nameof(ImagesAndNames))]
    public void Should_read_the_contents_and_mtimes_xorriso_extracts(string image, string names)
    {
        string iso = Repo.Fixture("iso/" + image);
        using var dir = new TempDir();
        string root = dir["x"];
        XorrisoTruth.Extract(iso, XorrisoTruth.ReadFs(names), root);
        using var reader = new IsoReader(File.OpenRead(iso), iso, Enum.Parse<IsoNames>(names), leaveOpen: false);
        int files = 0;
        while (reader.GetNextEntry() is { } e)
        {
            string extracted = Path.Combine(root, e.Name);
            if (e.Kind == FileKind.Regular)
            {
                files++;
                using Stream data = reader.OpenData();
                Assert.True(ExternalToolsSha(data) == Footprint.Tests.Formats.ExternalTools.Sha256File(extracted), $"{e.Name}: content differs");
                Assert.True(reader.TryGetFile(e.Name, out IsoFile file), e.Name);
                using Stream again = reader.OpenFile(file);
                Assert.Equal(e.SizeBytes, again.Length);
            }

            if (e.Kind is FileKind.Regular or FileKind.HardLink)
            {
                Assert.True(
                    new DateTimeOffset(File.GetLastWriteTimeUtc(extracted)) == e.ModificationTime,
                    $"{e.Name}: xorriso mtime {File.GetLastWriteTimeUtc(extracted):O}, ours {e.ModificationTime:O}");
            }
        }

        Assert.True(files > 0);
    }

    /// <summary>Hard links: isoinfo -R -l shows each file's link count and extent; ours group exactly the files it shows with
    /// more than one link, and the HardLink names the first one.</summary>
    [Theory]
    [InlineData("rr.iso")]
    [InlineData("rr-joliet.iso")]
    [InlineData("geniso-rr.iso")]
    [InlineData("level3.iso")]
    public void Should_group_hard_links_as_isoinfo_shows_them(string image)
    {
        string iso = Repo.Fixture("iso/" + image);
        var links = new Dictionary<string, (int Links, long Extent)>(StringComparer.Ordinal);
        string dirName = string.Empty;
        foreach (string line in Tool.Output("isoinfo", "-R", "-l", "-i", iso).Split('\n'))
        {
            if (line.StartsWith("Directory listing of /", StringComparison.Ordinal))
            {
                dirName = line["Directory listing of /".Length..].TrimEnd('/');
                continue;
            }

            var m = System.Text.RegularExpressions.Regex.Match(line, @"^-\S{9}\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\w+\s+\d+\s+\d+\s+\[\s*(\d+)\s+\d+\]\s+(.*?)\s*$");
            if (m.Success)
            {
                string name = dirName.Length == 0 ? m.Groups[3].Value : dirName + "/" + m.Groups[3].Value;
                links[name] = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        List<FileEntry> entries = ReadAll(iso, "Auto", out _);
        var expected = links.Where(kv => kv.Value.Links > 1 && kv.Value.Extent > 0).GroupBy(kv => kv.Value.Extent)
            .Select(g => string.Join(' ', g.Select(kv => kv.Key).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        var actual = entries.Where(e => e.Kind == FileKind.HardLink).GroupBy(e => e.LinkTarget!)
            .Select(g => string.Join(' ', g.Select(e => e.Name).Append(g.Key).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("eltorito.iso")]
    [InlineData("hybrid-mbr.iso")]
    [InlineData("hybrid-gpt.iso")]
    [InlineData("debian/ipxe-ipxe.iso")]
    [InlineData("debian/grub-rescue-pc-grub-rescue-cdrom.iso")]
    [InlineData("rr.iso")]
    public void Should_read_the_el_torito_catalog_as_xorriso_reports_it(string image)
    {
        string iso = Repo.Fixture("iso/" + image);
        var truth = XorrisoTruth.ElTorito(iso);
        using var reader = new IsoReader(File.OpenRead(iso), iso, leaveOpen: false);
        Assert.Equal(truth.Count, reader.BootEntries.Count);
        for (int i = 0; i < truth.Count; i++)
        {
            ElToritoEntry e = reader.BootEntries[i];
            string platform = e.Platform switch { "x86-bios" => "BIOS", "efi" => "UEFI", "ppc" => "PPC", "mac" => "Mac", _ => e.Platform };
            string emulation = e.MediaType switch { "no-emulation" => "none", "hard-disk" => "hd", "floppy-1.2M" => "fd1.2", "floppy-1.44M" => "fd1.4", "floppy-2.88M" => "fd2.8", _ => e.MediaType };
            Assert.Equal(truth[i], (platform, e.Bootable, emulation, e.LoadSegment, e.SectorCount, e.LoadRba, e.ImagePath));
            Assert.Equal(e.LoadRba * 2048, e.ImageOffsetBytes);
        }
    }

    [Theory]
    [InlineData("hybrid-mbr.iso")]
    [InlineData("hybrid-gpt.iso")]
    [InlineData("debian/ipxe-ipxe.iso")]
    [InlineData("debian/grub-rescue-pc-grub-rescue-cdrom.iso")]
    [InlineData("rr.iso")]
    public void Should_read_the_hybrid_partitions_as_xorriso_reports_them(string image)
    {
        string iso = Repo.Fixture("iso/" + image);
        var (mbr, gpt) = XorrisoTruth.SystemArea(iso);
        using var reader = new IsoReader(File.OpenRead(iso), iso, leaveOpen: false);
        Assert.Equal(
            mbr.Where(p => p.Type != "0x00" || p.Blocks > 0).Select(p => (p.Index, p.Bootable, p.Type, p.Start * 512, p.Blocks * 512)),
            reader.Partitions.Where(p => p.Scheme == "mbr").Select(p => (p.Index, p.Bootable, p.TypeCode, p.StartBytes, p.LengthBytes)));
        Assert.Equal(
            gpt.Select(p => (p.Index, new Guid(Convert.FromHexString(p.TypeHex)).ToString(), p.Start * 512, p.Blocks * 512, p.Name)),
            reader.Partitions.Where(p => p.Scheme == "gpt").Select(p => (p.Index, p.TypeCode, p.StartBytes, p.LengthBytes, p.Name ?? string.Empty)));
    }

    [Fact]
    public void Should_concatenate_the_extents_of_a_multi_extent_file()
    {
        string iso = Repo.Fixture("iso/multi-extent.iso");
        using var reader = new IsoReader(File.OpenRead(iso), iso, leaveOpen: false);
        Assert.True(reader.TryGetFile("/big.bin", out IsoFile file));
        Assert.Equal(2, file.Extents.Count);
        Assert.Equal(300000, file.SizeBytes);
        Assert.Equal(file.Extents[0].OffsetBytes + file.Extents[0].LengthBytes, file.Extents[1].OffsetBytes);
        using Stream s = reader.OpenFile(file);
        s.Position = 151552 - 10;
        byte[] buffer = new byte[20];
        s.ReadExactly(buffer);
        using FileStream raw = File.OpenRead(iso);
        raw.Position = file.Extents[0].OffsetBytes + 151552 - 10;
        byte[] expected = new byte[20];
        raw.ReadExactly(expected);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void Should_describe_the_volume()
    {
        string iso = Repo.Fixture("iso/eltorito.iso");
        using var reader = new IsoReader(File.OpenRead(iso), iso, leaveOpen: false);
        string pvd = Tool.Output("xorriso", "-indev", iso, "-pvd_info");
        Assert.Contains($"Volume Id    : {reader.Volume.VolumeId}\n", pvd, StringComparison.Ordinal);
        Assert.Equal("FOOTPRINT_BOOT", reader.Volume.VolumeId);
        Assert.True(reader.Volume.HasJoliet);
        Assert.True(reader.Volume.HasRockRidge);
        Assert.Equal(IsoNames.RockRidge, reader.Volume.NamesUsed);
        Assert.Equal(2048, reader.Volume.LogicalBlockSize);
        Assert.Equal(new FileInfo(iso).Length / 2048, reader.Volume.VolumeSpaceBlocks);
        Assert.NotNull(reader.Volume.CreationTime);
    }

    internal static List<FileEntry> ReadAll(string iso, string names, out IsoVolumeInfo volume)
    {
        using var reader = new IsoReader(File.OpenRead(iso), iso, Enum.Parse<IsoNames>(names), leaveOpen: false);
        volume = reader.Volume;
        var entries = new List<FileEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            entries.Add(e);
        }

        return entries;
    }

    private static string ExternalToolsSha(Stream s) => Footprint.Tests.Formats.ExternalTools.Sha256(s);

    private static char TypeChar(FileKind kind) => kind switch
    {
        FileKind.Directory => 'd',
        FileKind.Symlink => 'l',
        FileKind.CharDevice => 'c',
        FileKind.BlockDevice => 'b',
        FileKind.Fifo => 'p',
        FileKind.Socket => 's',
        _ => '-',
    };
}
