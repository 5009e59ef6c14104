using System.Buffers.Binary;
using Footprint.Formats;
using Footprint.Formats.Squashfs;

namespace Footprint.Tests.Formats.Squashfs;

/// <summary>Damaged images: every problem is a <see cref="FootprintFormatException"/>, never a crash or a hang.</summary>
public sealed class SquashfsBadInputTests
{
    private const int InodeTableStartField = 64;
    private const int DirectoryTableStartField = 72;

    /// <summary>Walks the image and reads every file, as the pipeline would.</summary>
    internal static void ReadAll(byte[] image, long offset = 0)
    {
        using var reader = new SquashfsReader(new MemoryStream(image, writable: false), "bad.squashfs", offset);
        byte[] buffer = new byte[1 << 16];
        while (reader.GetNextEntry() is { } e)
        {
            _ = reader.CurrentStoredBytes;
            using Stream data = reader.OpenData();
            long total = 0;
            int n;
            while (total < (64 << 20) && (n = data.Read(buffer)) > 0)
            {
                total += n;
            }

            _ = e;
        }

        _ = reader.DataStats;
    }

    private static byte[] Tiny() => File.ReadAllBytes(SquashfsReaderTests.PathOf("fixture:tiny"));

    private static SquashfsSuperblock Superblock(byte[] image)
    {
        Assert.True(SquashfsReader.TryReadSuperblock(image, out SquashfsSuperblock sb, out _));
        return sb;
    }

    [Fact]
    public void Should_reject_an_image_truncated_anywhere()
    {
        byte[] image = Tiny();
        SquashfsSuperblock sb = Superblock(image);
        ReadAll(image); // the intact image is fine
        for (int cut = 0; cut < sb.BytesUsed; cut++)
        {
            byte[] truncated = image[..cut];
            AssertRejected(truncated, $"cut at {cut}");

            // The same cut with bytes_used patched to match, so the tables themselves are what is missing.
            if (cut >= SquashfsSuperblock.SizeBytes)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(truncated.AsSpan(40), (ulong)cut);
                AssertRejected(truncated, $"cut at {cut}, bytes_used patched");
            }
        }
    }

    public static TheoryData<int> TablePointerFields() => new(32, 48, 56, 64, 72, 80, 88);

    [Theory]
    [MemberData(nameof(TablePointerFields))]
    public void Should_reject_table_pointers_outside_the_image(int field)
    {
        byte[] image = Tiny();
        SquashfsSuperblock sb = Superblock(image);
        foreach (ulong value in new ulong[] { (ulong)sb.BytesUsed, (ulong)sb.BytesUsed + 100, ulong.MaxValue - 1, 1UL << 40, 0 })
        {
            byte[] patched = (byte[])image.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(patched.AsSpan(field), field == 32 ? value << 16 : value);
            AssertRejected(patched, $"field {field} = {value}");
        }
    }

    [Theory]
    [InlineData(12, 0u)]
    [InlineData(12, 3u)]
    [InlineData(12, 5000u)]
    [InlineData(12, 2u << 20)]
    [InlineData(12, 0x80000000u)]
    [InlineData(4, 0u)]
    [InlineData(4, 0xFFFFFFFFu)]
    [InlineData(16, 0xFFFFFFFFu)]
    [InlineData(16, 100000u)]
    [InlineData(20, 0u)]
    [InlineData(20, 7u)]
    public void Should_reject_absurd_superblock_numbers(int field, uint value)
    {
        byte[] image = Tiny();
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(field), value);
        AssertRejected(image, $"field {field} = {value}");
    }

    [Fact]
    public void Should_reject_an_empty_id_table_and_a_wrong_block_log()
    {
        byte[] image = Tiny();
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(26), 0);
        AssertRejected(image, "id count 0");
        image = Tiny();
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(22), 12);
        AssertRejected(image, "block_log 12");
    }

    [Fact]
    public void Should_reject_squashfs_3_little_endian()
    {
        byte[] image = Tiny();
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(28), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(30), 1);
        var e = Assert.Throws<FootprintFormatException>(() => ReadAll(image));
        Assert.Contains("unsupported: squashfs 3.1 little-endian", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_detect_a_directory_loop()
    {
        UnsquashfsListing.RequireSquashfsTools();
        using var tmp = new TempDir();
        ExternalTools.Bash(tmp.Path, """
            mkdir -p src/bin src/etc
            echo hi > src/bin/hello
            echo x > src/etc/conf
            mksquashfs src img -noappend -quiet -no-progress -noI -noD -noF -noX -mkfs-time 0 -all-time 0 >/dev/null
            """);
        byte[] image = File.ReadAllBytes(tmp["img"]);
        SquashfsSuperblock sb = Superblock(image);
        uint binNumber = 0;
        using (var reader = new SquashfsReader(new MemoryStream(image), "img"))
        {
            while (reader.GetNextEntry() is { } e)
            {
                if (e.Name == "bin")
                {
                    binNumber = reader.CurrentInodeNumber;
                }
            }
        }

        // Uncompressed metadata: the inode table's first block starts 2 bytes (its header) after the table start.
        int table = (int)sb.InodeTableStart + 2;
        int root = table + (int)(sb.RootInodeRef & 0xFFFF);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(root)));
        int bin = -1;
        for (int p = table; p + 32 <= (int)sb.DirectoryTableStart; p++)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(p)) == 1 && BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(p + 12)) == binNumber)
            {
                bin = p;
                break;
            }
        }

        Assert.True(bin > 0, "bin's inode not found");

        // basic dir inode: start_block @16, nlink @20, file_size @24, offset @26: point bin's listing at the root's.
        image.AsSpan(root + 16, 4).CopyTo(image.AsSpan(bin + 16));
        image.AsSpan(root + 24, 4).CopyTo(image.AsSpan(bin + 24));
        var ex = Assert.Throws<FootprintFormatException>(() => ReadAll(image));
        Assert.Contains("directory loop", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An xz metadata block whose LZMA2 filter asks for a 1.5 GiB dictionary (header CRC fixed up) is refused before the
    /// decoder allocates it; squashfs-tools never writes a dictionary larger than the block size.
    /// </summary>
    [Fact]
    public void Should_refuse_a_huge_xz_dictionary_without_allocating_it()
    {
        byte[] image = File.ReadAllBytes(SquashfsReaderTests.PathOf("fixture:tiny-xz"));
        SquashfsSuperblock sb = Superblock(image);
        int xz = (int)sb.InodeTableStart + 2; // the first inode block: 2-byte header, then one .xz stream
        Assert.True(image.AsSpan(xz).StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]));
        int header = xz + 12;
        int headerBytes = (image[header] + 1) * 4;
        int props = image.AsSpan(header, headerBytes).IndexOf((byte)0x21) + 2; // filter id 0x21, property size 1, property
        image[header + props] = 37;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(header + headerBytes - 4), Crc32(image.AsSpan(header, headerBytes - 4)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<FootprintFormatException>(() => ReadAll(image));
        Assert.Contains("corrupt Xz block", e.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L << 20);
    }

    /// <summary>A legacy LZMA block asking for a 4 GiB dictionary still decodes: the dictionary is clamped to the block.</summary>
    [Fact]
    public void Should_clamp_a_huge_lzma_dictionary()
    {
        UnsquashfsListing.RequireSquashfsTools();
        using var tmp = new TempDir();
        ExternalTools.Bash(tmp.Path, "mkdir src; echo hi > src/a; mksquashfs src img -comp lzma -noappend -quiet -no-progress -mkfs-time 0 -all-time 0 >/dev/null");
        byte[] image = File.ReadAllBytes(tmp["img"]);
        SquashfsSuperblock sb = Superblock(image);
        int lzma = (int)sb.InodeTableStart + 2;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(lzma + 1), uint.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadAll(image);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L << 20);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    public static TheoryData<string> Compressors() => new("gzip", "xz", "lzma", "lzo", "lz4", "zstd", "tiny", "uncompressed");

    /// <summary>Random byte damage, mostly in the tables: format errors only (or a clean read).</summary>
    [Theory]
    [MemberData(nameof(Compressors))]
    public void Should_survive_random_damage(string name)
    {
        byte[] image = File.ReadAllBytes(SquashfsReaderTests.PathOf("fixture:" + name));
        SquashfsSuperblock sb = Superblock(image);
        // A seed that is the same in every run (string.GetHashCode is randomised per process): a failure reproduces.
        var random = new Random(name.Aggregate(77, (h, c) => unchecked((h * 31) + c)));
        long tables = (long)sb.InodeTableStart;
        for (int i = 0; i < 150; i++)
        {
            byte[] damaged = (byte[])image.Clone();
            for (int k = random.Next(1, 6); k > 0; k--)
            {
                long at = random.Next(2) == 0 ? tables + random.NextInt64(sb.BytesUsed - tables) : random.NextInt64(sb.BytesUsed);
                damaged[at] = (byte)random.Next(256);
            }

            try
            {
                ReadAll(damaged);
            }
            catch (FootprintFormatException)
            {
            }
        }
    }

    private static void AssertRejected(byte[] image, string what)
    {
        try
        {
            ReadAll(image);
        }
        catch (FootprintFormatException)
        {
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of FootprintFormatException: {e}");
        }

        Assert.Fail($"{what}: accepted");
    }
}
