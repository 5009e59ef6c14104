using Footprint.Formats;
using Footprint.Formats.Boot;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Boot;

/// <summary>
/// Ground truth: the configurations as printed by `mtype`/`isoinfo -x` (quoted in each test) and the SYSLINUX wiki's
/// rules; real files from the corpus boot floppies and the distro-layout ISOs, hostile ones built here.
/// </summary>
public sealed class SyslinuxConfigTests
{
    [Fact]
    public void Should_read_the_floppinux_floppy_entry()
    {
        // DEFAULT linux / LABEL linux / SAY ... / KERNEL bzImage / INITRD rootfs.cpio.xz
        var image = Repo.CorpusFile("images/floppinux/floppinux.img");
        var menu = SyslinuxConfig.Parse("syslinux.cfg", MediumFiles.Fat(image, "syslinux.cfg"));
        Assert.Equal(new BootMenuEntry("linux", "bzImage", ["rootfs.cpio.xz"], ""), menu.Default);
        Assert.Equal("DEFAULT linux", menu.DefaultReason);
    }

    [Fact]
    public void Should_read_the_busybox_boot_disk_entry_without_an_initrd()
    {
        var image = Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img");
        var menu = SyslinuxConfig.Parse("syslinux.cfg", MediumFiles.Fat(image, "syslinux.cfg"));
        Assert.Equal(new BootMenuEntry("linux", "bzImage", [], "console=ttyS0"), menu.Default);
    }

    [Theory]
    [InlineData("tinycore.iso", "boot/isolinux/isolinux.cfg", "boot/vmlinuz", "boot/core.gz", "initrd=/boot/core.gz quiet")]
    [InlineData("slitaz.iso", "boot/isolinux/isolinux.cfg", "boot/bzImage", "boot/rootfs4.gz,boot/rootfs3.gz,boot/rootfs2.gz,boot/rootfs1.gz",
        "initrd=/boot/rootfs4.gz,/boot/rootfs3.gz,/boot/rootfs2.gz,/boot/rootfs1.gz rw root=/dev/null")]
    [InlineData("porteus.iso", "boot/syslinux/porteus.cfg", "boot/syslinux/vmlinuz", "boot/syslinux/initrd.xz", "initrd=initrd.xz")]
    [InlineData("antix.iso", "boot/isolinux/isolinux.cfg", "antiX/vmlinuz", "antiX/initrd.gz", "initrd=/antiX/initrd.gz quiet")]
    public void Should_read_the_distro_layout_isos(string iso, string config, string kernel, string initrds, string append)
    {
        var text = MediumFiles.Iso(Repo.Fixture("live/" + iso), config)!;
        var menu = SyslinuxConfig.Parse(config, text);
        Assert.NotNull(menu.Default);
        Assert.Equal(kernel, menu.Default.Kernel);
        Assert.Equal(initrds.Split(','), menu.Default.Initrds);
        Assert.Equal(append, menu.Default.Append);
    }

    [Fact]
    public void Should_read_the_ipxe_iso_whose_kernel_is_an_lkrn()
    {
        // Debian's ipxe.iso: DEFAULT ipxe.lkrn / LABEL ipxe.lkrn / KERNEL ipxe.krn
        var text = MediumFiles.Iso(Repo.Fixture("iso/debian/ipxe-ipxe.iso"), "isolinux.cfg")!;
        var menu = SyslinuxConfig.Parse("isolinux.cfg", text);
        Assert.Equal("ipxe.krn", menu.Default?.Kernel);
        Assert.Empty(menu.Default!.Initrds);
    }

    [Fact]
    public void Should_read_keywords_in_any_case_and_INITRD_over_APPEND_initrd()
    {
        const string cfg = "default Live\nlabel other\n kernel /x\nLaBeL Live\n  LiNuX ../boot/vmlinuz\n  append initrd=/a.gz quiet\n  InItRd b.gz, c.gz\n";
        var menu = SyslinuxConfig.Parse("isolinux/isolinux.cfg", cfg);
        Assert.Equal(new BootMenuEntry("Live", "boot/vmlinuz", ["isolinux/b.gz", "isolinux/c.gz"], "initrd=/a.gz quiet"), menu.Default);
        Assert.Equal(2, menu.Entries.Count);
    }

    [Fact]
    public void Should_take_the_last_initrd_argument_of_APPEND_and_the_global_APPEND()
    {
        const string cfg = "APPEND quiet\nDEFAULT b\nLABEL a\n KERNEL vmlinuz\n APPEND -\nLABEL b\n KERNEL vmlinuz\n APPEND initrd=one.gz x initrd=two.gz,three.gz\nLABEL c\n KERNEL vmlinuz\n";
        var menu = SyslinuxConfig.Parse("syslinux.cfg", cfg);
        Assert.Equal(["two.gz", "three.gz"], menu.Default!.Initrds);
        Assert.Equal("", menu.Entries[0].Append);
        Assert.Equal("quiet", menu.Entries[2].Append);
    }

    [Fact]
    public void Should_follow_includes_and_MENU_DEFAULT_as_debian_installers_lay_them_out()
    {
        // Debian's installer: isolinux.cfg includes menu.cfg, which includes txt.cfg; DEFAULT names the menu module.
        var files = new Dictionary<string, string>
        {
            ["isolinux/menu.cfg"] = "menu hshift 7\ninclude stdmenu.cfg\nmenu include txt.cfg\n",
            ["isolinux/stdmenu.cfg"] = "menu background splash.png\n",
            ["isolinux/txt.cfg"] = "label install\n\tmenu label ^Install\n\tkernel /install.amd/vmlinuz\n\tappend vga=788 initrd=/install.amd/initrd.gz --- quiet\nlabel live\n\tmenu default\n\tkernel /live/vmlinuz\n\tappend initrd=/live/initrd.img boot=live\n",
        };
        var menu = SyslinuxConfig.Parse("isolinux/isolinux.cfg", "path \ninclude menu.cfg\ndefault vesamenu.c32\nprompt 0\ntimeout 0\n", p => files.GetValueOrDefault(p));
        Assert.Equal(2, menu.Entries.Count);
        Assert.Equal(new BootMenuEntry("live", "live/vmlinuz", ["live/initrd.img"], "initrd=/live/initrd.img boot=live"), menu.Default);
        Assert.Equal("MENU DEFAULT on LABEL live", menu.DefaultReason);
    }

    [Fact]
    public void Should_boot_a_DEFAULT_that_is_a_command_line()
    {
        var menu = SyslinuxConfig.Parse("syslinux.cfg", "DEFAULT vmlinuz initrd=core.gz,mods.gz quiet\nTIMEOUT 10\n");
        Assert.Equal(new BootMenuEntry("vmlinuz", "vmlinuz", ["core.gz", "mods.gz"], "initrd=core.gz,mods.gz quiet"), menu.Default);
    }

    [Fact]
    public void Should_say_when_the_default_is_not_a_linux_kernel()
    {
        var menu = SyslinuxConfig.Parse("syslinux.cfg", "DEFAULT hdt\nLABEL hdt\n COM32 hdt.c32\nLABEL linux\n KERNEL vmlinuz\n");
        Assert.Null(menu.Default);
        Assert.Contains("hdt.c32", menu.DefaultReason, StringComparison.Ordinal);
        Assert.Single(menu.Entries);
    }

    [Fact]
    public void Should_skip_a_missing_include_as_syslinux_does()
    {
        var menu = SyslinuxConfig.Parse("syslinux.cfg", "INCLUDE nothere.cfg\nLABEL l\n KERNEL k\n", _ => null);
        Assert.Equal("k", menu.Default?.Kernel);
    }

    [Fact]
    public void Should_refuse_an_include_loop()
    {
        var e = Assert.Throws<FootprintFormatException>(() => SyslinuxConfig.Parse("isolinux/isolinux.cfg", "include isolinux.cfg\n", _ => "LABEL x\ninclude isolinux.cfg\n"));
        Assert.Contains("nested deeper than 8", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("isolinux/isolinux.cfg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_wide_fan_out_of_includes()
    {
        var top = string.Concat(Enumerable.Range(0, 100).Select(i => $"include f{i}.cfg\n"));
        var e = Assert.Throws<FootprintFormatException>(() => SyslinuxConfig.Parse("a.cfg", top, _ => ""));
        Assert.Contains("more than 64 included files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_huge_line_naming_its_offset()
    {
        var cfg = "LABEL a\nAPPEND " + new string('x', BootConfigLimits.MaxLineChars + 1) + "\n";
        var e = Assert.Throws<FootprintFormatException>(() => SyslinuxConfig.Parse("syslinux.cfg", cfg));
        Assert.Equal(8, e.Offset);
    }

    [Fact]
    public void Should_refuse_too_many_labels()
    {
        var cfg = string.Concat(Enumerable.Repeat("LABEL a\n", BootConfigLimits.MaxEntries + 1));
        Assert.Throws<FootprintFormatException>(() => SyslinuxConfig.Parse("syslinux.cfg", cfg));
    }

    [Fact]
    public void Should_return_no_default_for_an_empty_config()
    {
        var menu = SyslinuxConfig.Parse("syslinux.cfg", "\r\n# nothing\r\n");
        Assert.Null(menu.Default);
        Assert.Empty(menu.Entries);
    }
}
