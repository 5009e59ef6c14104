using System.Buffers.Binary;
using Footprint.Formats;
using Footprint.Formats.Iso9660;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Iso9660;

/// <summary>Truncated and corrupted images must fail with <see cref="FootprintFormatException"/> naming the offset, never
/// another exception or a hang.</summary>
public sealed class IsoBadInputTests
{
    private const int Sector = 2048;
    private const int Pvd = 16 * Sector;

    [Fact]
    public void Should_reject_an_image_truncated_inside_the_volume_descriptors()
    {
        byte[] iso = Small();
        AssertRejected(iso[..(Pvd + 1000)], "volume descriptor");
        AssertRejected(iso[..(Pvd + Sector + 10)], "terminator");
        AssertRejected(iso[..100], "not an ISO 9660 image");
    }

    [Fact]
    public void Should_reject_an_image_truncated_inside_the_root_directory()
    {
        byte[] iso = Small();
        AssertRejected(iso[..(RootOffset(iso) + 100)], "directory '/' extent");
    }

    [Fact]
    public void Should_reject_an_image_truncated_in_the_middle_of_a_directory()
    {
        byte[] iso = Small();
        long sub = ExtentOfRecord(iso, "sub");
        AssertRejected(iso[..(int)(sub + 300)], "directory '/sub'");
    }

    [Fact]
    public void Should_reject_an_image_truncated_inside_a_continuation_area()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        long ce = FirstContinuationArea(iso);
        AssertRejected(iso[..(int)(ce + 10)], "continuation area");
    }

    [Fact]
    public void Should_reject_a_continuation_area_that_points_to_itself()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        long ce = FirstContinuationArea(iso);
        byte[] entry = new byte[28];
        "CE"u8.CopyTo(entry);
        entry[2] = 28;
        entry[3] = 1;
        BothEndian(entry, 4, (uint)(ce / Sector));
        BothEndian(entry, 12, (uint)(ce % Sector));
        BothEndian(entry, 20, 28);
        entry.CopyTo(iso, ce);
        AssertRejected(iso, "chain loops");
    }

    [Fact]
    public void Should_reject_a_directory_whose_extent_points_to_its_parent()
    {
        byte[] iso = Small();
        long record = RecordOffset(iso, "sub");
        BothEndian(iso, (int)record + 2, (uint)(RootOffset(iso) / Sector));
        AssertRejected(iso, "directory loop");
    }

    [Fact]
    public void Should_list_but_refuse_to_read_a_file_whose_extent_lies_beyond_the_end()
    {
        byte[] iso = Small();
        long record = RecordOffset(iso, "one.txt");
        BothEndian(iso, (int)record + 2, 0x00FFFFFF);
        using var reader = new IsoReader(new MemoryStream(iso), "bad.iso");
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Name == "one.txt")
            {
                var ex = Assert.Throws<FootprintFormatException>(() => reader.OpenData());
                Assert.Contains("'/one.txt'", ex.Message, StringComparison.Ordinal);
                Assert.Equal(0x00FFFFFFL * Sector, ex.Offset);
            }
        }
    }

    /// <summary>An image cut after its directories but inside file data: listed in full with a warning; only the files
    /// whose data is missing fail, when opened, naming the file and the offset.</summary>
    [Fact]
    public void Should_list_a_short_image_with_a_warning_and_fail_only_the_missing_files()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        long cut;
        int total;
        using (var reader = new IsoReader(new MemoryStream(iso), "rr.iso"))
        {
            Assert.True(reader.TryGetFile("bin/busybox", out IsoFile busybox));
            cut = busybox.Extents[0].OffsetBytes + 1000;
            total = 0;
            while (reader.GetNextEntry() is not null)
            {
                total++;
            }
        }

        using var truncated = new IsoReader(new MemoryStream(iso[..(int)cut]), "short.iso");
        Assert.Contains(truncated.Warnings, w => w.Contains("reading what exists", StringComparison.Ordinal));
        int listed = 0;
        while (truncated.GetNextEntry() is { } e)
        {
            listed++;
            if (e.Name == "bin/busybox")
            {
                var ex = Assert.Throws<FootprintFormatException>(() => truncated.OpenData());
                Assert.Contains("'/bin/busybox'", ex.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(total, listed);
    }

    [Fact]
    public void Should_reject_a_record_shorter_than_34_bytes()
    {
        byte[] iso = Small();
        iso[RecordOffset(iso, "one.txt")] = 20;
        AssertRejected(iso, "directory record length 20");
    }

    [Fact]
    public void Should_reject_a_bad_el_torito_validation_checksum()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/eltorito.iso"));
        int catalog;
        using (var reader = new IsoReader(new MemoryStream(iso), "ok.iso"))
        {
            Assert.True(reader.TryGetFile("isolinux/boot.cat", out IsoFile cat));
            catalog = (int)cat.Extents[0].OffsetBytes;
        }

        iso[catalog + 4] ^= 0x55;
        AssertRejected(iso, "checksum");
    }

    [Fact]
    public void Should_reject_an_unsupported_block_size()
    {
        byte[] iso = Small();
        BinaryPrimitives.WriteUInt16LittleEndian(iso.AsSpan(Pvd + 128), 4096);
        AssertRejected(iso, "logical block size 4096");
    }

    /// <summary>xorriso writes a 70-level tree (Rock Ridge relocation); past 64 levels the reader refuses, naming the path.</summary>
    [Fact]
    public void Should_reject_directories_nested_deeper_than_64()
    {
        using var dir = new TempDir();
        string deep = Path.Combine(dir.Path, "t", string.Join('/', Enumerable.Range(1, 70).Select(i => $"d{i}")));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "f"), "x");
        string iso = dir["deep.iso"];
        Tool.Output("xorriso", "-as", "mkisofs", "-quiet", "-R", "-o", iso, dir["t"]);
        Assert.Equal(71, XorrisoTruth.List(iso, "any").Count); // xorriso reads all 70 directories and the file
        AssertRejected(File.ReadAllBytes(iso), "nested deeper than 64");
    }

    /// <summary>
    /// An interleaved file (ECMA-119 6.4.3: file unit size 1 block, gap 1 block) synthesized from rr.iso's
    /// data/random.bin: its blocks are spread out by hand; the reader must give back the original bytes.
    /// </summary>
    [Fact]
    public void Should_read_an_interleaved_file_unit_by_unit()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        byte[] original;
        long record;
        long start;
        using (var reader = new IsoReader(new MemoryStream(iso), "rr.iso"))
        {
            Assert.True(reader.TryGetFile("data/random.bin", out IsoFile file));
            using Stream s = reader.OpenFile(file);
            original = new byte[file.SizeBytes];
            s.ReadExactly(original);
            record = file.Entry.Offset;
            start = file.Extents[0].OffsetBytes;
        }

        int blocks = (original.Length + Sector - 1) / Sector;
        Array.Resize(ref iso, (int)Math.Max(iso.Length, start + (2 * blocks * Sector)));
        for (int i = 0; i < blocks; i++)
        {
            int n = Math.Min(Sector, original.Length - (i * Sector));
            Array.Copy(original, i * Sector, iso, start + (2L * i * Sector), n);
        }

        iso[record + 26] = 1; // file unit size
        iso[record + 27] = 1; // interleave gap
        using var patched = new IsoReader(new MemoryStream(iso), "interleaved.iso");
        Assert.True(patched.TryGetFile("data/random.bin", out IsoFile interleaved));
        Assert.Equal(blocks, interleaved.Extents.Count);
        using Stream data = patched.OpenFile(interleaved);
        byte[] read = new byte[original.Length];
        data.ReadExactly(read);
        Assert.Equal(original, read);
    }

    /// <summary>Every sector boundary and a few offsets inside each sector: a clean result or a format error.</summary>
    [Fact]
    public void Should_never_crash_on_a_truncated_image()
    {
        byte[] iso = Small();
        for (int length = 0; length < iso.Length; length += length < 64 * Sector ? 97 : Sector)
        {
            ReadEverythingOrFormatError(iso[..length]);
        }
    }

    /// <summary>Seeded byte flips over the descriptors, directories and system use areas of a small image.</summary>
    [Fact]
    public void Should_never_crash_on_corrupted_metadata()
    {
        byte[] original = Small();
        int metadataEnd = (int)Math.Min(original.Length, ExtentOfRecord(original, "sub") + Sector);
        var random = new Random(9660);
        for (int i = 0; i < 3000; i++)
        {
            byte[] iso = (byte[])original.Clone();
            for (int flips = random.Next(1, 8); flips > 0; flips--)
            {
                iso[random.Next(Pvd, metadataEnd)] = (byte)random.Next(256);
            }

            ReadEverythingOrFormatError(iso);
        }
    }

    private static void ReadEverythingOrFormatError(byte[] iso)
    {
        try
        {
            using var reader = new IsoReader(new MemoryStream(iso), "fuzz.iso");
            _ = reader.BootEntries.Count + reader.Partitions.Count;
            byte[] buffer = new byte[8192];
            while (reader.GetNextEntry() is { } e)
            {
                using Stream data = reader.OpenData();
                long read = 0;
                int n;
                while ((n = data.Read(buffer)) > 0 && read < (16 << 20))
                {
                    read += n;
                }
            }
        }
        catch (FootprintFormatException)
        {
        }
    }

    private static void AssertRejected(byte[] iso, string expected)
    {
        var ex = Assert.Throws<FootprintFormatException>(() =>
        {
            using var reader = new IsoReader(new MemoryStream(iso), "bad.iso");
            while (reader.GetNextEntry() is not null)
            {
            }
        });
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.iso", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Small() => File.ReadAllBytes(Repo.Fixture("iso/small.iso"));

    private static int RootOffset(byte[] iso) => (int)(BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan(Pvd + 156 + 2)) * Sector);

    private static long RecordOffset(byte[] iso, string path)
    {
        using var reader = new IsoReader(new MemoryStream(iso), "ok.iso");
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Name == path)
            {
                return e.Offset;
            }
        }

        throw new InvalidOperationException($"{path} not in the fixture");
    }

    private static long ExtentOfRecord(byte[] iso, string path)
        => BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan((int)RecordOffset(iso, path) + 2)) * (long)Sector;

    /// <summary>The target of the first CE entry of the primary tree (xorriso puts long names and symlinks there).</summary>
    private static long FirstContinuationArea(byte[] iso)
    {
        for (int i = RootOffset(iso); i + 28 < iso.Length; i++)
        {
            if (iso[i] == 'C' && iso[i + 1] == 'E' && iso[i + 2] == 28 && iso[i + 3] == 1)
            {
                return (BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan(i + 4)) * (long)Sector) + BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan(i + 12));
            }
        }

        throw new InvalidOperationException("no CE entry in the fixture");
    }

    private static void BothEndian(byte[] b, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(offset + 4), value);
    }
}
