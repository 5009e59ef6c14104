using Footprint.Formats;
using Footprint.Formats.Boot;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Boot;

/// <summary>
/// Ground truth: the GRUB manual's rules and real configurations (Debian's grub-rescue-cdrom.iso sample, quoted), plus
/// hostile ones built here.
/// </summary>
public sealed class GrubConfigTests
{
    [Fact]
    public void Should_read_debians_grub_rescue_sample_by_its_id_default()
    {
        // set default=gnulinux; menuentry "GNU/Linux" --id gnulinux { set root=(hd0,msdos1); linux /vmlinuz root=/dev/sda1; initrd /initrd.img }
        var text = MediumFiles.Iso(Repo.Fixture("iso/debian/grub-rescue-pc-grub-rescue-cdrom.iso"), "boot/grub/grub.cfg")!;
        var menu = GrubConfig.Parse("boot/grub/grub.cfg", text);
        Assert.Equal(new BootMenuEntry("GNU/Linux", "vmlinuz", ["initrd.img"], "root=/dev/sda1"), menu.Default);
        Assert.Equal("default=gnulinux", menu.DefaultReason);
    }

    [Fact]
    public void Should_pick_by_index_with_submenus_and_several_initrds()
    {
        const string cfg = """
            set default="1>1"
            menuentry 'Live' --class debian {
                linux16 /live/vmlinuz boot=live components quiet
                initrd16 /live/initrd.img
            }
            submenu 'Advanced' $menuentry_id_option 'adv' {
                menuentry "Safe" { linux /live/vmlinuz nomodeset }
                menuentry "Two initrds" {
                    linux (hd0,msdos1)/boot/vmlinuz-6.1 root=UUID=x ro
                    initrd /boot/intel-ucode.img /boot/initrd.img-6.1
                }
            }
            """;
        var menu = GrubConfig.Parse("boot/grub/grub.cfg", cfg);
        Assert.Equal(new BootMenuEntry("Two initrds", "boot/vmlinuz-6.1", ["boot/intel-ucode.img", "boot/initrd.img-6.1"], "root=UUID=x ro"), menu.Default);
        Assert.Equal(3, menu.Entries.Count);
        Assert.Equal("boot=live components quiet", menu.Entries[0].Append);
    }

    [Theory]
    [InlineData("set default=0", "A")]
    [InlineData("set default='Second entry'", "Second entry")]
    [InlineData("default=1", "Second entry")]
    [InlineData("set default=\"${saved_entry}\"", "A")]
    [InlineData("set default=7", "A")]
    [InlineData("", "A")]
    public void Should_resolve_set_default(string line, string expected)
    {
        var cfg = line + "\nmenuentry A { linux /a }\nmenuentry \"Second entry\" { linux /b }\n";
        Assert.Equal(expected, GrubConfig.Parse("grub.cfg", cfg).Default?.Label);
    }

    [Fact]
    public void Should_keep_quoted_braces_and_semicolons_inside_words()
    {
        var menu = GrubConfig.Parse("grub.cfg", "menuentry 'a { b; c }' { linux /k \"x=1;2\" 'y}' ; initrd /i }");
        Assert.Equal(new BootMenuEntry("a { b; c }", "k", ["i"], "x=1;2 y}"), menu.Default);
    }

    [Fact]
    public void Should_say_when_the_default_entry_loads_no_linux_kernel()
    {
        var menu = GrubConfig.Parse("grub.cfg", "set default=1\nmenuentry a { linux /k }\nmenuentry memtest { linux16x /memtest }\n");
        Assert.Null(menu.Default);
        Assert.Contains("memtest", menu.DefaultReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("menuentry a { linux /k\n", "unterminated '{'")]
    [InlineData("menuentry a { linux /k }\n}\n", "'}' without a matching '{'")]
    [InlineData("menuentry 'a { linux /k }\n", "unterminated ' quote")]
    public void Should_refuse_broken_blocks_naming_the_offset(string cfg, string message)
    {
        var e = Assert.Throws<FootprintFormatException>(() => GrubConfig.Parse("grub.cfg", cfg));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Offset);
    }

    [Fact]
    public void Should_refuse_nesting_past_the_limit()
    {
        var cfg = string.Concat(Enumerable.Repeat("submenu s {\n", 40)) + string.Concat(Enumerable.Repeat("}\n", 40));
        var e = Assert.Throws<FootprintFormatException>(() => GrubConfig.Parse("grub.cfg", cfg));
        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_huge_line()
    {
        var cfg = "menuentry a { linux /k " + new string('x', BootConfigLimits.MaxLineChars + 10) + " }\n";
        Assert.Throws<FootprintFormatException>(() => GrubConfig.Parse("grub.cfg", cfg));
    }

    [Fact]
    public void Should_dispatch_by_file_name()
    {
        Assert.Equal("grub", BootConfigs.Parse("EFI/BOOT/grub.cfg", "menuentry a { linux /k }").Loader);
        Assert.Equal("syslinux", BootConfigs.Parse("extlinux.conf", "LABEL a\nLINUX k").Loader);
    }
}
