using System.Buffers.Binary;
using Footprint.Formats;
using Footprint.Formats.Squashfs;

namespace Footprint.Tests.Formats.Squashfs;

/// <summary>
/// Fragment blocks are decompressed a few ahead of the one asked for. A damaged fragment must still fail exactly the
/// file whose tail it holds, with the reader's own error, and never the files before or after it.
/// </summary>
public sealed class SquashfsFragmentReadAheadTests
{
    [Fact]
    public void Should_fail_only_the_file_in_a_damaged_fragment_while_reading_ahead()
    {
        UnsquashfsListing.RequireSquashfsTools();
        using var tmp = new TempDir();

        // 4 KiB blocks and 3,000-byte files: one tail per fragment block, fragment i holding file fi (sorted order).
        ExternalTools.Bash(tmp.Path, """
            mkdir src
            for i in 0 1 2 3 4 5 6 7; do head -c 2250 /dev/urandom | base64 -w0 > src/f$i; done
            mksquashfs src img -b 4096 -noappend -quiet -no-progress -mkfs-time 0 -all-time 0 >/dev/null
            """);
        byte[] image = File.ReadAllBytes(tmp["img"]);
        Assert.True(SquashfsReader.TryReadSuperblock(image, out SquashfsSuperblock sb, out _));
        Assert.Equal(8u, sb.FragmentCount);

        // The fragment table: u64 pointers to metadata blocks of 16-byte entries {u64 start, u32 size word, u32 unused};
        // a block is a 2-byte header (length, bit 15 = stored) and zlib data, read here with .NET's zlib.
        long table = (long)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)sb.FragmentTableStart));
        int header = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)table));
        byte[] entries = new byte[16 * 8];
        if ((header & 0x8000) != 0)
        {
            image.AsSpan((int)table + 2, entries.Length).CopyTo(entries);
        }
        else
        {
            using var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(image, (int)table + 2, header), System.IO.Compression.CompressionMode.Decompress);
            zlib.ReadExactly(entries);
        }

        long start = (long)BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan(16 * 2));
        uint word = BinaryPrimitives.ReadUInt32LittleEndian(entries.AsSpan((16 * 2) + 8));
        uint size = word & 0xFFFFFF;
        Assert.True((word & (1u << 24)) == 0, "fragment 2 is compressed");
        for (long i = start + 10; i < start + size - 4; i++)
        {
            image[i] ^= 0x55;
        }

        var results = new Dictionary<string, string>();
        using (var reader = new SquashfsReader(new MemoryStream(image, writable: false), "img"))
        {
            while (reader.GetNextEntry() is { } e)
            {
                if (e.Kind != FileKind.Regular)
                {
                    continue;
                }

                try
                {
                    using var data = reader.OpenData();
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    results[e.Name] = copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(tmp.Path, "src", e.Name))) ? "same" : "different";
                }
                catch (FootprintFormatException error)
                {
                    results[e.Name] = error.Message;
                }
            }
        }

        Assert.Equal(8, results.Count);
        foreach (var name in results.Keys.Where(n => n != "f2"))
        {
            Assert.Equal("same", results[name]);
        }

        Assert.Contains("fragment 2", results["f2"], StringComparison.Ordinal);
        Assert.Contains("img", results["f2"], StringComparison.Ordinal);
    }
}
