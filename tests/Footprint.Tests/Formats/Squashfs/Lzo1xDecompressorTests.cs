using System.Buffers.Binary;
using Footprint.Formats.Squashfs;

namespace Footprint.Tests.Formats.Squashfs;

/// <summary>
/// Ground truth for the hand-written LZO1X decoder: files compressed by Debian's lzop (LZO1X-1 at levels 1-6, LZO1X-999
/// at 7-9). lzop's framing (lzop's README "file format"): a header, then blocks of (uncompressed size, compressed size,
/// checksums, data), a zero size ending the file; a block whose sizes are equal is stored.
/// </summary>
public sealed class Lzo1xDecompressorTests
{
    private const uint AdlerDataFlag = 0x1;
    private const uint AdlerCompressedFlag = 0x2;
    private const uint ExtraFieldFlag = 0x40;
    private const uint CrcDataFlag = 0x100;
    private const uint CrcCompressedFlag = 0x200;
    private const uint FilterFlag = 0x800;

    public static TheoryData<string, int> Inputs()
    {
        var data = new TheoryData<string, int>();
        foreach (string input in new[] { "busybox", "text", "zeros", "mixed" })
        {
            foreach (int level in new[] { 1, 3, 7, 9 })
            {
                data.Add(input, level);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Should_decompress_what_lzop_compressed(string input, int level)
    {
        ExternalTools.Require("lzop");
        using var tmp = new TempDir();
        string make = input switch
        {
            "busybox" => "cat /bin/busybox > in",
            "text" => "for i in $(seq 1 20000); do echo \"line $i: the quick brown fox\"; done > in",
            "zeros" => "head -c 1000000 /dev/zero > in",
            _ => "{ head -c 70000 /bin/busybox; head -c 50000 /dev/zero; seq 1 30000; head -c 3 /bin/busybox; } > in",
        };
        ExternalTools.Bash(tmp.Path, $"{make}; lzop -{level} -c in > in.lzo");
        byte[] original = File.ReadAllBytes(tmp["in"]);
        byte[] lzo = File.ReadAllBytes(tmp["in.lzo"]);

        using var output = new MemoryStream();
        int compressedBlocks = 0;
        foreach ((byte[] block, int uncompressedSize) in LzopBlocks(lzo))
        {
            if (block.Length == uncompressedSize)
            {
                output.Write(block);
                continue;
            }

            compressedBlocks++;
            byte[] buffer = new byte[uncompressedSize];
            Assert.True(Lzo1xDecompressor.TryDecompress(block, buffer, out int written), $"block {compressedBlocks} rejected");
            Assert.Equal(uncompressedSize, written);
            output.Write(buffer);

            // Bounds: one byte less of room, or a truncated block, must be refused, not overrun.
            Assert.False(Lzo1xDecompressor.TryDecompress(block, new byte[uncompressedSize - 1], out _));
            Assert.False(Lzo1xDecompressor.TryDecompress(block.AsSpan(0, block.Length - 1), buffer, out _));
        }

        Assert.True(compressedBlocks > 0);
        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public void Should_never_throw_on_damaged_streams()
    {
        ExternalTools.Require("lzop");
        using var tmp = new TempDir();
        ExternalTools.Bash(tmp.Path, "head -c 200000 /bin/busybox | lzop -9 -c > in.lzo");
        (byte[] block, int size) = LzopBlocks(File.ReadAllBytes(tmp["in.lzo"])).First(b => b.Data.Length != b.UncompressedSize);
        var random = new Random(1234);
        byte[] output = new byte[size];
        for (int i = 0; i < 3000; i++)
        {
            byte[] damaged = block[..random.Next(1, block.Length)];
            for (int k = random.Next(1, 8); k > 0; k--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            bool ok = Lzo1xDecompressor.TryDecompress(damaged, output, out int written);
            Assert.InRange(written, 0, output.Length);
            _ = ok;
        }
    }

    private static IEnumerable<(byte[] Data, int UncompressedSize)> LzopBlocks(byte[] file)
    {
        ReadOnlySpan<byte> magic = [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(file.AsSpan().StartsWith(magic), "not an lzop file");
        int p = magic.Length;
        int version = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p));
        p += 4; // version, library version
        if (version >= 0x0940)
        {
            p += 2; // version needed to extract
        }

        p += 1; // method
        if (version >= 0x0940)
        {
            p += 1; // level
        }

        uint flags = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p));
        p += 4;
        if ((flags & FilterFlag) != 0)
        {
            p += 4;
        }

        p += 8; // mode, mtime low
        if (version >= 0x0940)
        {
            p += 4; // mtime high
        }

        p += 1 + file[p]; // name
        p += 4; // header checksum
        if ((flags & ExtraFieldFlag) != 0)
        {
            p += 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p)) + 4;
        }

        var blocks = new List<(byte[], int)>();
        while (true)
        {
            int uncompressed = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p));
            p += 4;
            if (uncompressed == 0)
            {
                break;
            }

            int compressed = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p));
            p += 4;
            p += ((flags & AdlerDataFlag) != 0 ? 4 : 0) + ((flags & CrcDataFlag) != 0 ? 4 : 0);
            if (compressed < uncompressed)
            {
                p += ((flags & AdlerCompressedFlag) != 0 ? 4 : 0) + ((flags & CrcCompressedFlag) != 0 ? 4 : 0);
            }

            blocks.Add((file.AsSpan(p, compressed).ToArray(), uncompressed));
            p += compressed;
        }

        return blocks;
    }
}
