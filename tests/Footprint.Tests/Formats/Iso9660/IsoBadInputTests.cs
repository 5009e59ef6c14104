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

        // The walk meets /one.txt (its data lies after the directories) before it descends into /sub.
        long one = ExtentOfRecord(iso, "one.txt");
        AssertRejected(iso[..(int)(sub + 300)], $"'/one.txt': extent [{one}, {one + 4}) lies beyond the end of the image ({sub + 300} bytes)");

        // With /one.txt emptied (no data, no extent to check), the truncated directory itself is what is reported.
        BothEndian(iso, (int)RecordOffset(iso, "one.txt") + 10, 0);
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
    public void Should_reject_a_file_whose_extent_lies_beyond_the_end_when_the_directory_is_read()
    {
        byte[] iso = Small();
        long record = RecordOffset(iso, "one.txt");
        BothEndian(iso, (int)record + 2, 0x00FFFFFF);
        var ex = Assert.Throws<FootprintFormatException>(() => new IsoReader(new MemoryStream(iso), "bad.iso"));
        Assert.Contains("'/one.txt': extent [", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0x00FFFFFFL * Sector, ex.Offset);
    }

    /// <summary>
    /// An image cut inside file data: the first file whose data is missing is an error naming it and the offset, in the
    /// directory walk (not only when that file is opened, which would depend on whether some analyzer opens it).
    /// </summary>
    [Fact]
    public void Should_reject_a_short_image_naming_the_first_file_whose_data_is_cut()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        long start;
        using (var reader = new IsoReader(new MemoryStream(iso), "rr.iso"))
        {
            Assert.True(reader.TryGetFile("bin/busybox", out IsoFile busybox));
            start = busybox.Extents[0].OffsetBytes;
        }

        var ex = Assert.Throws<FootprintFormatException>(() => new IsoReader(new MemoryStream(iso[..(int)(start + 1000)]), "short.iso"));
        Assert.Contains("'/bin/busybox': extent [" + start + ", ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(start, ex.Offset);
    }

    /// <summary>An image cut after the data of its last file (in the padding xorriso writes at the end): listed in full with a warning.</summary>
    [Fact]
    public void Should_list_an_image_cut_after_its_last_file_with_a_warning()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/rr.iso"));
        long end = 0;
        int total = 0;
        using (var reader = new IsoReader(new MemoryStream(iso), "rr.iso"))
        {
            while (reader.GetNextEntry() is { } e)
            {
                total++;
                if (reader.TryGetFile(e.Name, out IsoFile f))
                {
                    end = f.Extents.Aggregate(end, (m, x) => Math.Max(m, x.OffsetBytes + x.LengthBytes));
                }
            }
        }

        Assert.True(end < iso.Length, "xorriso pads the volume after the last file");
        using var truncated = new IsoReader(new MemoryStream(iso[..(int)end]), "short.iso");
        Assert.Contains(truncated.Warnings, w => w.Contains("reading what exists", StringComparison.Ordinal));
        int listed = 0;
        while (truncated.GetNextEntry() is not null)
        {
            listed++;
        }

        Assert.Equal(total, listed);
    }

    /// <summary>
    /// Issue 10: the same damage (the extent of /data.bin moved past the end, in the primary and the Joliet directory
    /// records alike) gives the same error whatever names are read: plain ECMA-119, Rock Ridge or Joliet, on an image
    /// built with -R -J and on one built without either; and `footprint measure` exits 2 on both with one line.
    /// </summary>
    [Fact]
    public void Should_reject_an_extent_past_the_end_alike_in_every_namespace()
    {
        using var dir = new TempDir();
        string src = Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(Path.Combine(src, "etc"));
        File.WriteAllText(Path.Combine(src, "etc", "os-release"), "NAME=x\n");
        File.WriteAllBytes(Path.Combine(src, "data.bin"), Enumerable.Range(0, 300000).Select(i => (byte)(i * 7)).ToArray());
        string rrj = dir["rr-joliet.iso"], plain = dir["plain.iso"];
        Tool.Output("xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-o", rrj, src);
        Tool.Output("xorriso", "-as", "mkisofs", "-quiet", "--norock", "-o", plain, src);

        var outcomes = new List<(string Image, IsoNames Names, long? Offset, string Message)>();
        foreach (string image in new[] { plain, rrj })
        {
            byte[] iso = File.ReadAllBytes(image);
            uint past = (uint)(iso.Length / Sector) + 16;
            Assert.Equal(image == rrj ? 2 : 1, PatchExtentInEveryHierarchy(iso, "data.bin", past));
            File.WriteAllBytes(image, iso);
            foreach (IsoNames names in new[] { IsoNames.Auto, IsoNames.Plain, IsoNames.RockRidge, IsoNames.Joliet })
            {
                var ex = Assert.Throws<FootprintFormatException>(() => new IsoReader(new MemoryStream(iso), "bad.iso", names));
                outcomes.Add((image, names, ex.Offset, ex.Message));
                Assert.Equal((long)past * Sector, ex.Offset);
                Assert.Equal($"bad.iso: at offset {(long)past * Sector}: '/data.bin': extent [{(long)past * Sector}, {((long)past * Sector) + 300000}) lies beyond the end of the image ({iso.Length} bytes)", ex.Message, ignoreCase: true);
            }

            var cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
            var (code, _, stderr) = Tool.Run("dotnet", cli, "measure", "-q", image);
            Assert.Equal(2, code);
            Assert.StartsWith($"footprint: error: {image}: at offset {(long)past * Sector}: '/", stderr, StringComparison.Ordinal);
            Assert.Contains("data.bin': extent [", stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Single(stderr.Trim().Split('\n'));
        }

        Assert.Equal(8, outcomes.Count);
    }

    /// <summary>
    /// multi-extent.iso's big.bin is two records; both are pointed at block 0 with 400,000 bytes each: every extent lies
    /// inside the 677,888-byte image, but the file would claim 800,000 bytes, more than the whole image.
    /// </summary>
    [Fact]
    public void Should_reject_a_multi_extent_file_larger_than_the_image()
    {
        byte[] iso = File.ReadAllBytes(Repo.Fixture("iso/multi-extent.iso"));
        long first = RecordOffset(iso, "big.bin");
        long second = first + iso[first];
        foreach (long record in new[] { first, second })
        {
            BothEndian(iso, (int)record + 2, 0);
            BothEndian(iso, (int)record + 10, 400000);
        }

        AssertRejected(iso, $"'/big.bin': its 2 extents hold 800000 bytes, more than the whole image ({iso.Length} bytes)");
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

    /// <summary>
    /// Sets the extent LBA (both-endian, record offsets 2 and 6) of every record named <paramref name="name"/> in the
    /// primary tree and the Joliet tree (UCS-2 names), walking the directories from each descriptor's root record.
    /// </summary>
    private static int PatchExtentInEveryHierarchy(byte[] iso, string name, uint lba)
    {
        int patched = 0;
        for (int d = Pvd; iso[d] != 255; d += Sector)
        {
            if (iso[d] is 1 or 2)
            {
                patched += Patch(d + 156, iso[d] == 2, 0);
            }
        }

        return patched;

        int Patch(int dirRecord, bool joliet, int depth)
        {
            int count = 0;
            long start = BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan(dirRecord + 2)) * (long)Sector;
            long end = start + BinaryPrimitives.ReadUInt32LittleEndian(iso.AsSpan(dirRecord + 10));
            for (long pos = start; pos < end;)
            {
                int len = iso[pos];
                if (len == 0)
                {
                    pos = ((pos / Sector) + 1) * Sector;
                    continue;
                }

                int nameLength = iso[pos + 32];
                var raw = iso.AsSpan((int)pos + 33, nameLength);
                string n = (joliet ? System.Text.Encoding.BigEndianUnicode.GetString(raw) : System.Text.Encoding.Latin1.GetString(raw)).Split(';')[0];
                if (nameLength == 1 && raw[0] <= 1)
                {
                    // "." and ".."
                }
                else if ((iso[pos + 25] & 2) != 0 && depth < 8)
                {
                    count += Patch((int)pos, joliet, depth + 1);
                }
                else if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                {
                    BothEndian(iso, (int)pos + 2, lba);
                    count++;
                }

                pos += len;
            }

            return count;
        }
    }

    private static void BothEndian(byte[] b, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(offset + 4), value);
    }
}
