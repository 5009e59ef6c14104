using System.Buffers.Binary;
using Footprint.Formats;
using Footprint.Formats.Kernel;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Kernel;

/// <summary>
/// Damaged and hostile kernel images: each is refused with a <see cref="FootprintFormatException"/> naming the file and
/// the offset of the field at fault, never a crash, a hang or an allocation sized by the input.
/// </summary>
public sealed class KernelImageReaderHostileTests
{
    [Fact]
    public void Should_refuse_a_truncated_setup_header_at_its_end()
    {
        using var dir = new TestSupport.TempDir();
        var path = dir.File("short");
        File.WriteAllBytes(path, File.ReadAllBytes(KernelSamples.Debian).AsSpan(0, 0x220).ToArray());
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(path));
        Assert.Equal(path, e.FileName);
        Assert.Equal(0x220, e.Offset);
    }

    [Fact]
    public void Should_refuse_setup_sects_past_the_file()
    {
        var e = Refused(image => image[0x1F1] = 0xFF, cut: 0x8000);
        Assert.Equal(0x1F1, e.Offset);
        Assert.Contains("setup_sects 255", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_payload_past_the_file()
    {
        var e = Refused(image => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x24C), 0x7FFFFFFF));
        Assert.Equal(0x248, e.Offset);
        e = Refused(image => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x248), 0xFFFFFFF0));
        Assert.Equal(0x248, e.Offset);
    }

    [Fact]
    public void Should_refuse_a_kernel_version_pointer_outside_the_setup_code()
    {
        var e = Refused(image => BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x20E), 0xFF00));
        Assert.Equal(0x20E, e.Offset);
    }

    [Fact]
    public void Should_refuse_a_corrupt_payload_at_its_offset()
    {
        long payload = KernelSamples.XzOffset(KernelSamples.Debian);
        var e = Refused(image => image.AsSpan((int)payload + 4096, 4096).Fill(0x55));
        Assert.InRange(e.Offset ?? -1, payload, new FileInfo(KernelSamples.Debian).Length);
    }

    [Fact]
    public void Should_stop_a_decompression_bomb_at_the_stated_cap()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);

        // 64 MiB of zeros: an xz payload of a few KiB that would expand 1000-fold.
        var zeros = dir.File("zeros");
        Tool.Shell($"head -c {64 << 20} /dev/zero > '{zeros}'");
        var image = KernelSamples.BuildBzImage(dir, floppinux, zeros, "xz", "bomb");
        Assert.True(new FileInfo(image).Length < 1 << 20);
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(image, null, maxDecompressedBytes: 16 << 20));
        Assert.Contains("decompression bomb", e.Message, StringComparison.Ordinal);
        Assert.Contains(image, e.FileName, StringComparison.Ordinal);
        Assert.InRange(e.Offset ?? -1, KernelSamples.XzOffset(floppinux), KernelSamples.XzOffset(floppinux) + 64);

        var gz = KernelSamples.BuildBzImage(dir, floppinux, zeros, "gzip", "bomb.gz");
        e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(gz, null, maxDecompressedBytes: 16 << 20));
        Assert.Contains("decompression bomb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_payload_that_is_not_an_elf()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var text = dir.File("text");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("not a kernel ", 1000)));
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(KernelSamples.BuildBzImage(dir, floppinux, text, "gzip", "notelf")));
        Assert.Contains("not an ELF", e.Message, StringComparison.Ordinal);
        Assert.Equal(KernelSamples.XzOffset(floppinux), e.Offset);
    }

    [Fact]
    public void Should_refuse_ikconfig_markers_without_a_valid_gzip_stream()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var plain = KernelSamples.ExtractVmlinux(dir, floppinux, "plain");
        var length = new FileInfo(plain).Length;
        foreach (var (name, tail) in new[] { ("garbage", "IKCFG_STthis is no gzip stream at allIKCFG_ED"), ("open", "IKCFG_ST") })
        {
            var path = dir.File(name);
            File.WriteAllBytes(path, [.. File.ReadAllBytes(plain), .. System.Text.Encoding.ASCII.GetBytes(tail)]);
            var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(path));
            Assert.Contains(path, e.FileName, StringComparison.Ordinal);
            Assert.InRange(e.Offset ?? -1, length, length + 8);
        }

        // A gzip stream cut short between the markers.
        var config = dir.File("config.gz");
        Tool.Shell($"gzip -9 -c '{Repo.Fixture("kernel/config")}' | head -c 20000 > '{config}'");
        var cut = dir.File("cut");
        File.WriteAllBytes(cut, [.. File.ReadAllBytes(plain), .. "IKCFG_ST"u8.ToArray(), .. File.ReadAllBytes(config), .. "IKCFG_ED"u8.ToArray()]);
        var c = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(cut));
        Assert.InRange(c.Offset ?? -1, length + 8, length + 8 + 20000);
    }

    [Fact]
    public void Should_refuse_a_builtin_cpio_with_an_absurd_size()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var plain = KernelSamples.ExtractVmlinux(dir, floppinux, "plain");
        var bytes = File.ReadAllBytes(plain);
        var stub = KernelImageReader.Read(plain).Initramfs!.Offset;

        // c_filesize (the 7th field, at 6 + 6 x 8) of the first entry: FFFFFFFF.
        "FFFFFFFF"u8.CopyTo(bytes.AsSpan((int)stub + 54));
        var path = dir.File("absurd");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(path));
        Assert.Contains(path, e.FileName, StringComparison.Ordinal);
        Assert.Contains($"0x{stub:x}", e.FileName, StringComparison.Ordinal);
    }

    /// <summary>Debian's vmlinuz (cut to <paramref name="cut"/> bytes when given) with <paramref name="damage"/> applied: the refusal.</summary>
    private static FootprintFormatException Refused(Action<byte[]> damage, int? cut = null)
    {
        using var dir = new TestSupport.TempDir();
        var image = File.ReadAllBytes(KernelSamples.Debian);
        if (cut is { } c)
        {
            image = image.AsSpan(0, c).ToArray();
        }

        damage(image);
        var path = dir.File("vmlinuz");
        File.WriteAllBytes(path, image);
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(path));
        Assert.Contains(path, e.FileName, StringComparison.Ordinal);
        Assert.NotNull(e.Offset);
        return e;
    }
}
