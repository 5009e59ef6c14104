using Footprint.Formats;
using Footprint.Formats.Kernel;
using Footprint.Sources;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Kernel;

/// <summary>
/// Kernels wrapped by mkimage(1) at test time: FLOPPINUX's vmlinux (an ELF, gzip) and its raw binary from
/// `objcopy -O binary` (as ARM and MIPS boards boot it, lzma with OpenWrt's lc=1 lp=2 pb=2), read through the firmware
/// reader's uImage header code; a uImage followed by a squashfs stays a flash image.
/// </summary>
public sealed class UImageKernelTests
{
    [Fact]
    public void Should_read_a_gzip_uimage_holding_an_elf_kernel()
    {
        using var dir = new TestSupport.TempDir();
        var vmlinux = KernelSamples.ExtractVmlinux(dir, KernelSamples.Floppinux(dir), "vmlinux");
        var image = dir.File("uImage");
        Tool.Shell($"gzip -9nc '{vmlinux}' > '{vmlinux}.gz'; mkimage -A x86 -O linux -T kernel -C gzip -a 0x100000 -e 0x100000 -n floppinux -d '{vmlinux}.gz' '{image}' > /dev/null");
        var k = KernelImageReader.Read(image);
        Assert.Equal("uimage", k.Format);
        Assert.Equal("gzip", k.Compressor);
        Assert.Equal(64, k.PayloadOffset);
        Assert.Equal(new FileInfo(vmlinux + ".gz").Length, k.PayloadBytes);
        Assert.Equal(new FileInfo(vmlinux).Length, k.DecompressedBytes);
        Assert.Equal("x86", k.Architecture);
        Assert.Contains(k.Banner, KernelSamples.Banners(vmlinux));
        Assert.True(k.Initramfs!.DefaultStub);

        var warnings = new List<global::Footprint.FileSystem.FsWarning>();
        using var source = ArtifactOpener.Open(image, null, warnings);
        Assert.Same(SourceKind.Kernel, source.Kind);
    }

    [Fact]
    public void Should_read_an_openwrt_style_lzma_uimage_holding_a_raw_kernel()
    {
        using var dir = new TestSupport.TempDir();
        var vmlinux = KernelSamples.ExtractVmlinux(dir, KernelSamples.Floppinux(dir), "vmlinux");
        var raw = dir.File("Image");
        var image = dir.File("uImage");
        Tool.Shell($"objcopy -O binary '{vmlinux}' '{raw}'; xz --format=lzma --lzma1=preset=6,lc=1,lp=2,pb=2 -c '{raw}' > '{raw}.lzma'; " +
            $"mkimage -A mips -O linux -T kernel -C lzma -a 0x80060000 -e 0x80060000 -n 'MIPS OpenWrt Linux' -d '{raw}.lzma' '{image}' > /dev/null");
        var k = KernelImageReader.Read(image);
        Assert.Equal("lzma", k.Compressor);
        Assert.Equal(new FileInfo(raw).Length, k.DecompressedBytes);
        Assert.Equal("mips", k.Architecture);
        Assert.Equal(0, k.Bits);
        Assert.Equal("5.13.0-rc4+", k.Release);
        Assert.Contains(k.Banner, KernelSamples.Banners(raw));
        var stub = k.Initramfs!;
        Assert.True(stub.DefaultStub);
        Assert.Equal("scan of the image, bounded by __initramfs_size", stub.LocatedBy);

        // dumpimage(1) reads the same header.
        Assert.Contains("MIPS OpenWrt Linux", Tool.Output("dumpimage", "-l", image), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_leave_a_uimage_followed_by_a_squashfs_to_the_firmware_reader()
    {
        using var dir = new TestSupport.TempDir();
        var root = dir.File("root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "router\n");
        var kernel = dir.File("k.lzma");
        var image = dir.File("sysupgrade.bin");
        Tool.Shell($"printf 'Linux version 6.1.0 (f@z) #1\\n' | xz --format=lzma -c > '{kernel}'; mkimage -A mips -O linux -T kernel -C lzma -n k -d '{kernel}' '{image}.k' > /dev/null; " +
            $"mksquashfs '{root}' '{image}.sq' -comp gzip -noappend -quiet > /dev/null; cat '{image}.k' '{image}.sq' > '{image}'");
        Assert.False(UImageKernel.IsBareKernel(image));
        var warnings = new List<global::Footprint.FileSystem.FsWarning>();
        using var source = ArtifactOpener.Open(image, null, warnings);
        Assert.Same(SourceKind.Firmware, source.Kind);
    }

    [Fact]
    public void Should_refuse_a_bad_data_crc_and_a_compression_the_data_does_not_have()
    {
        using var dir = new TestSupport.TempDir();
        var payload = dir.File("payload.gz");
        var image = dir.File("uImage");
        Tool.Shell($"printf 'Linux version 6.1.0 (f@z) #1\\n' | gzip -c > '{payload}'; mkimage -A arm -O linux -T kernel -C gzip -n k -d '{payload}' '{image}' > /dev/null");
        var bytes = File.ReadAllBytes(image);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(image, bytes);
        var e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(image));
        Assert.Equal(image, e.FileName);
        Assert.Equal(24, e.Offset);

        Tool.Shell($"mkimage -A arm -O linux -T kernel -C lzma -n k -d '{payload}' '{image}' > /dev/null");
        e = Assert.Throws<FootprintFormatException>(() => KernelImageReader.Read(image));
        Assert.Equal(64, e.Offset);
        Assert.Contains("says lzma", e.Message, StringComparison.Ordinal);
    }
}
