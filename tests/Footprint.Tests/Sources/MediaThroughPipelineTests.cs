using System.Globalization;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>
/// Bare media from the corpus measured like any artifact: the installed bytes and the RAM a run-from-RAM system holds
/// are checked against trees extracted by the real tools (cpio -id, unsquashfs -d, mcopy), counted with find(1).
/// </summary>
public sealed class MediaThroughPipelineTests
{
    /// <summary>Apparent bytes (one inode once) and tmpfs pages of the regular files under a directory.</summary>
    private static (long Apparent, long Pages) Count(string dir)
    {
        var line = Tool.Shell($"cd '{dir}' && find . -type f -printf '%i %s\\n' | sort -u -k1,1 | awk '{{a+=$2; p+=int(($2+4095)/4096)*4096}} END {{print a+0, p+0}}'").Trim().Split(' ');
        return (long.Parse(line[0], CultureInfo.InvariantCulture), long.Parse(line[1], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("images/tinycore/core.gz", "gzip")]
    [InlineData("images/buildroot-tp/rootfs.cpio.xz", "xz")]
    [InlineData("images/floppinux/rootfs.cpio.xz", "xz")]
    [InlineData("images/live-iso/antix-initrd.gz", "gzip")]
    public void Initramfs_expands_to_what_cpio_extracts_and_is_held_in_ram_page_by_page(string relative, string decompressor)
    {
        var file = Repo.CorpusFile(relative);
        using var tmp = new TempDir();
        Tool.Shell($"cd '{tmp.Path}' && {(decompressor == "gzip" ? "zcat" : "xzcat")} '{file}' | cpio -idm --quiet --no-absolute-filenames 2>/dev/null || true");
        var (apparent, pages) = Count(tmp.Path);

        var report = Load.Measure(file);

        Assert.Equal("initramfs", report.Kind);
        Assert.Equal(apparent, report.Installed.ApparentBytes);
        Assert.Equal(pages, report.RamResident!.MinimumBytes);
        Assert.Equal(new FileInfo(file).Length, report.Download.TotalBytes);
        Assert.Equal(decompressor, report.Composition!.Components[0].Compression);
    }

    [Fact]
    public void Buildroot_initramfs_is_identified()
    {
        var report = Load.Measure(Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz"));
        Assert.Equal("buildroot", report.Identity.Os!.Id);
    }

    [Fact]
    public void A_bare_squashfs_is_one_layer_listed_as_unsquashfs_lists_it()
    {
        var file = Repo.CorpusFile("images/tplink/rootfs.squashfs");
        using var tmp = new TempDir();
        Tool.Shell($"unsquashfs -q -n -no-xattrs -d '{tmp.Path}/x' '{file}' >/dev/null 2>&1 || true");
        var (apparent, _) = Count($"{tmp.Path}/x");

        var report = Load.Measure(file);

        Assert.Equal("squashfs", report.Kind);
        Assert.Equal(apparent, report.Installed.ApparentBytes);
        Assert.Equal("squashfs-xz", report.Composition!.Components[0].Compression);
        Assert.Equal(0, report.RamResident!.MinimumBytes);
        Assert.Equal(new FileInfo(file).Length, report.RamResident.ToRamBytes);
    }

    /// <summary>FLOPPINUX: a FAT12 floppy whose SYSLINUX entry boots bzImage with rootfs.cpio.xz: that initramfs is the system.</summary>
    [Fact]
    public void A_floppy_boots_its_syslinux_initrd_and_that_initramfs_is_the_system()
    {
        var image = Repo.CorpusFile("images/floppinux/floppinux.img");
        using var tmp = new TempDir();
        Tool.Shell($"mcopy -n -i '{image}' ::rootfs.cpio.xz '{tmp.Path}/r.xz' && mkdir '{tmp.Path}/x' && cd '{tmp.Path}/x' && xzcat ../r.xz | cpio -idm --quiet --no-absolute-filenames 2>/dev/null || true");
        var (apparent, pages) = Count($"{tmp.Path}/x");
        Tool.Shell($"mcopy -n -i '{image}' ::bzImage '{tmp.Path}/bzImage'");
        var fileSays = Tool.Shell($"file -b '{tmp.Path}/bzImage'");

        var report = Load.Measure(image);

        Assert.Equal("fat-image", report.Kind);
        Assert.Equal("initramfs", report.Composition!.Rule);
        Assert.Equal("bzImage", report.Composition.Kernel!.Path);
        Assert.NotNull(report.Composition.Kernel.Version);
        Assert.Contains("version " + report.Composition.Kernel.Version!.Split(' ')[0], fileSays, StringComparison.Ordinal);
        Assert.Equal(apparent, report.Installed.ApparentBytes);
        Assert.Equal(pages, report.RamResident!.MinimumBytes);
    }

    [Fact]
    public void An_efi_system_image_without_a_system_is_measured_as_its_files()
    {
        var image = Repo.CorpusFile("images/live-iso/antix-efi.img");
        using var tmp = new TempDir();
        Tool.Shell($"mcopy -s -n -i '{image}' ::/ '{tmp.Path}/x'");
        var (apparent, _) = Count($"{tmp.Path}/x");

        var report = Load.Measure(image);

        Assert.Equal("fat-image", report.Kind);
        Assert.Equal(apparent, report.Installed.ApparentBytes);
    }

    [Fact]
    public void An_old_big_endian_squashfs_is_refused_by_name_and_offset()
    {
        var file = Repo.CorpusFile("firmware/binwalk/squashfs_v2.bin");
        var e = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => Load.Measure(file));
        Assert.Contains("unsupported: squashfs 2.0 big-endian", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }
}
