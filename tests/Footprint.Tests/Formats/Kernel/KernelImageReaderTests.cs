using System.Globalization;
using System.Text.RegularExpressions;
using Footprint.Formats.Kernel;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Kernel;

/// <summary>
/// Real kernels read by <see cref="KernelImageReader"/> against file(1), xz(1) on the payload found by grep, strings(1)
/// and, for the configuration, grep -abo IKCFG_ST + dd + gzip -d on the same bytes.
/// </summary>
public sealed class KernelImageReaderTests
{
    [Fact]
    public void Should_read_debian_vmlinuz_as_file_and_xz_see_it()
    {
        using var dir = new TestSupport.TempDir();
        var path = KernelSamples.Debian;
        var k = KernelImageReader.Read(path);

        // file(1): "Linux kernel x86 boot executable bzImage, version 6.1.0-57-amd64 (...) #1 SMP ..., RO-rootFS, ..."
        var described = Tool.Output("file", "-b", path);
        var fileVersion = Regex.Match(described, @"version (.*?), R[OW]-rootFS").Groups[1].Value;
        Assert.Equal(fileVersion, k.Setup!.SetupVersion);
        Assert.Equal(Tool.Output("cat", Repo.Fixture("kernel/version")).Trim(), k.Release);

        var vmlinux = KernelSamples.ExtractVmlinux(dir, path, "vmlinux");
        Assert.Equal(new FileInfo(vmlinux).Length, k.DecompressedBytes);
        Assert.Equal(KernelSamples.XzOffset(path), k.PayloadOffset);
        Assert.Equal(new FileInfo(path).Length, k.FileBytes);
        Assert.Equal("xz", k.Compressor);
        Assert.Equal("bzimage", k.Format);
        Assert.Equal("x86_64", k.Architecture);
        Assert.Equal(64, k.Bits);
        Assert.Contains(k.Banner, KernelSamples.Banners(vmlinux));
        Assert.EndsWith(") " + fileVersion[(fileVersion.IndexOf(") ", StringComparison.Ordinal) + 2)..], k.Banner, StringComparison.Ordinal);
        Assert.True(k.VersionsAgree);

        // Debian builds without IKCONFIG: its build config says so, and the image has no marker.
        Assert.Contains("# CONFIG_IKCONFIG is not set", File.ReadAllLines(Repo.Fixture("kernel/config")));
        Assert.Null(k.Config);
        Assert.Equal("0", Tool.Shell($"LC_ALL=C grep -c IKCFG_ST '{vmlinux}' || true").Trim());
    }

    [Fact]
    public void Should_find_debians_default_initramfs_stub_where_cpio_lists_it()
    {
        using var dir = new TestSupport.TempDir();
        var k = KernelImageReader.Read(KernelSamples.Debian);
        var vmlinux = KernelSamples.ExtractVmlinux(dir, KernelSamples.Debian, "vmlinux");
        var stub = k.Initramfs!;
        Assert.True(stub.DefaultStub);
        Assert.Equal("none", stub.Compression);
        Assert.Equal(512, stub.RecordedBytes);

        // cpio(1) on the same bytes lists the kernel's default_cpio_list: /dev, /dev/console, /root.
        var listing = Tool.Shell($"dd if='{vmlinux}' of='{vmlinux}.cpio' bs=1 skip={stub.Offset} count={stub.Bytes.Length} status=none; cpio -it --quiet < '{vmlinux}.cpio' | sort");
        Assert.Equal(["dev", "dev/console", "root"], listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Should_read_the_corpus_kernels_as_xz_and_strings_see_them()
    {
        using var dir = new TestSupport.TempDir();
        foreach (var (path, arch, bits) in new[] { (KernelSamples.Floppinux(dir), "x86", 32), (KernelSamples.Sandbox(dir), "x86_64", 64) })
        {
            var k = KernelImageReader.Read(path);
            var vmlinux = KernelSamples.ExtractVmlinux(dir, path, Path.GetFileName(path) + ".vmlinux");
            Assert.Equal(new FileInfo(vmlinux).Length, k.DecompressedBytes);
            Assert.Equal(arch, k.Architecture);
            Assert.Equal(bits, k.Bits);
            Assert.Contains(k.Banner, KernelSamples.Banners(vmlinux));
            Assert.Equal(Regex.Match(Tool.Output("file", "-b", path), @"version (.*?), R[OW]-rootFS").Groups[1].Value, k.Setup!.SetupVersion);
            Assert.True(k.VersionsAgree);
            Assert.Null(k.Config);
        }
    }

    [Fact]
    public void Should_find_the_sandbox_kernels_builtin_initramfs_byte_for_byte()
    {
        using var dir = new TestSupport.TempDir();
        var k = KernelImageReader.Read(KernelSamples.Sandbox(dir));

        // The project builds its kernel with INITRAMFS_SOURCE = its busybox rootfs.cpio.gz, which the corpus also keeps.
        var initramfs = k.Initramfs!;
        var expected = File.ReadAllBytes(Repo.CorpusFile("images/initramfs_sandbox/busybox-rootfs.cpio.gz"));
        Assert.Equal(expected, initramfs.Bytes);
        Assert.Equal("gzip", initramfs.Compression);
        Assert.False(initramfs.DefaultStub);
        Assert.Equal(expected.Length, initramfs.RecordedBytes);
    }

    [Fact]
    public void Should_read_a_raw_vmlinux()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var vmlinux = KernelSamples.ExtractVmlinux(dir, floppinux, "vmlinux");
        var k = KernelImageReader.Read(vmlinux);
        Assert.Equal("vmlinux", k.Format);
        Assert.Equal("none", k.Compressor);
        Assert.Null(k.Setup);
        Assert.Null(k.VersionsAgree);
        Assert.Equal(new FileInfo(vmlinux).Length, k.DecompressedBytes);
        Assert.Equal("5.13.0-rc4+", k.Release);
        Assert.True(KernelImageReader.IsVmlinux(vmlinux, File.ReadAllBytes(vmlinux).AsSpan(0, 64), new FileInfo(vmlinux).Length));
        Assert.False(KernelImageReader.IsVmlinux("/bin/sh", File.ReadAllBytes("/bin/sh").AsSpan(0, 64), new FileInfo("/bin/sh").Length));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("lzma")]
    [InlineData("xz")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public void Should_decompress_each_kernel_compressor_as_its_tool_wrote_it(string compressor)
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var vmlinux = KernelSamples.ExtractVmlinux(dir, floppinux, "vmlinux");
        var image = KernelSamples.BuildBzImage(dir, floppinux, vmlinux, compressor, "bzImage." + compressor);
        var k = KernelImageReader.Read(image);
        Assert.Equal(compressor, k.Compressor);
        Assert.Equal(new FileInfo(vmlinux).Length, k.DecompressedBytes);
        Assert.Equal(new FileInfo(vmlinux).Length, k.RecordedDecompressedBytes);
        Assert.Equal(new FileInfo(image).Length - k.PayloadOffset, k.PayloadBytes);
        Assert.Contains(k.Banner, KernelSamples.Banners(vmlinux));
        Assert.True(k.Initramfs!.DefaultStub);
    }

    [Fact]
    public void Should_refuse_lzo_by_name()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var vmlinux = KernelSamples.ExtractVmlinux(dir, floppinux, "vmlinux");
        var image = KernelSamples.BuildBzImage(dir, floppinux, vmlinux, "lzo", "bzImage.lzo");
        var e = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => KernelImageReader.Read(image));
        Assert.Contains("lzo", e.Message, StringComparison.Ordinal);
        Assert.Equal(KernelSamples.XzOffset(floppinux), e.Offset);
    }

    [Fact]
    public void Should_parse_ikconfig_equal_to_grep_dd_and_gzip_on_the_same_bytes()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var vmlinux = KernelSamples.WithIkconfig(dir, KernelSamples.ExtractVmlinux(dir, floppinux, "plain"), Repo.Fixture("kernel/config"), "vmlinux");
        var image = KernelSamples.BuildBzImage(dir, floppinux, vmlinux, "xz", "bzImage");
        var config = KernelImageReader.Read(image).Config!;

        // scripts/extract-ikconfig's way, on the decompressed kernel.
        var decompressed = KernelSamples.ExtractVmlinux(dir, image, "decompressed");
        var marker = long.Parse(Tool.Shell($"LC_ALL=C grep -abo IKCFG_ST '{decompressed}' | head -1 | cut -d: -f1").Trim(), CultureInfo.InvariantCulture);
        var text = dir.File("extracted.config");
        Tool.Shell($"{{ tail -c +{marker + 9} '{decompressed}' | gzip -dc 2>/dev/null || true; }} > '{text}'");
        Assert.Equal(marker + 8, config.Offset);
        Assert.Equal(new FileInfo(text).Length, config.TextBytes);
        var set = Tool.Shell($"grep -cE '^CONFIG_[A-Za-z0-9_]+=' '{text}'").Trim();
        var notSet = Tool.Shell($"grep -cE '^# CONFIG_[A-Za-z0-9_]+ is not set$' '{text}'").Trim();
        Assert.Equal(int.Parse(set, CultureInfo.InvariantCulture) + int.Parse(notSet, CultureInfo.InvariantCulture), config.Entries.Count);
        foreach (var line in File.ReadAllLines(text).Where(l => l.StartsWith("CONFIG_", StringComparison.Ordinal) && !l.Contains('"', StringComparison.Ordinal)))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.Equal(line[(eq + 1)..], config.Entries[line[7..eq]]);
        }

        // The facts, each against grep on the extracted text.
        var facts = KernelConfigFacts.Of(config);
        string Grep(string key) => Tool.Shell($"grep -E '^CONFIG_{key}=' '{text}' | cut -d= -f2 || true").Trim() is { Length: > 0 } v ? v : "n";
        var consoles = Tool.Shell($"grep -oE '^CONFIG_SERIAL_[A-Z0-9_]+_CONSOLE=y' '{text}' | sed 's/^CONFIG_//; s/=y$//' | LC_ALL=C sort").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(consoles, facts.SerialConsoles);
        Assert.Contains("SERIAL_8250_CONSOLE", facts.SerialConsoles);
        Assert.Equal(Grep("SQUASHFS"), facts.Squashfs);
        Assert.Equal(Grep("OVERLAY_FS"), facts.Overlayfs);
        Assert.Equal(Grep("DEVTMPFS"), facts.Devtmpfs);
        Assert.Equal(Grep("DEVTMPFS_MOUNT"), facts.DevtmpfsMount);
        Assert.Equal(Grep("BLK_DEV_INITRD"), facts.Initrd);
        Assert.Equal(new[] { "GZIP", "BZIP2", "LZMA", "XZ", "LZO", "LZ4", "ZSTD" }.Where(c => Grep("RD_" + c) == "y").Select(c => c.ToLowerInvariant()), facts.InitrdCompressors);
        Assert.Equal(Grep("NR_CPUS"), facts.Memory["NR_CPUS"]);
        Assert.Equal(Grep("SWAP"), facts.Memory["SWAP"]);
        Assert.Equal(Grep("SPARSEMEM_VMEMMAP"), facts.Memory["SPARSEMEM_VMEMMAP"]);
        Assert.Equal(Tool.Shell($"grep -cE '^(# )?CONFIG_KASAN[= ]' '{text}' || true").Trim() != "0", facts.Memory.ContainsKey("KASAN"));
    }
}
