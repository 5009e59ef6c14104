using Footprint.Measures.Running;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running;

/// <summary>
/// Where an init's logins run, from real inittabs (Tiny Core 4.4's core.gz, Buildroot's rootfs.cpio.xz, read out by
/// GNU cpio for the ground truth) and small ones in BusyBox's and sysvinit's own forms, with the near misses that must
/// keep the serial console.
/// </summary>
public sealed class InitTabTests
{
    [Fact]
    public void Should_find_tiny_core_logging_in_only_on_tty1()
    {
        var core = Repo.CorpusFile("images/tinycore/core.gz");
        var expected = Tool.Shell($"zcat '{core}' | cpio -i --quiet --to-stdout etc/inittab");
        var text = InitTab.Read(core);
        Assert.Equal(expected, text);
        var line = Tool.Shell($"zcat '{core}' | cpio -i --quiet --to-stdout etc/inittab | grep -n '^tty1::respawn' | cut -d: -f1").Trim();
        Assert.Equal($"line {line}: tty1::respawn:/sbin/getty -nl /sbin/autologin 38400 tty1", InitTab.OnlyVirtualTerminalLogins(text!));
    }

    [Fact]
    public void Should_keep_the_serial_console_for_buildroot_whose_getty_runs_on_the_console()
    {
        var rootfs = Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz");
        var text = InitTab.Read(rootfs);
        Assert.Equal(Tool.Shell($"xz -dc '{rootfs}' | cpio -i --quiet --to-stdout etc/inittab"), text);
        Assert.Contains("console::respawn:/sbin/getty", text, StringComparison.Ordinal);
        Assert.Null(InitTab.OnlyVirtualTerminalLogins(text!));
    }

    [Theory]
    [InlineData("1:2345:respawn:/sbin/getty 38400 tty1\n2:23:respawn:/sbin/getty 38400 tty2\n", "line 1: 1:2345:respawn:/sbin/getty 38400 tty1")]
    [InlineData("::sysinit:/etc/init.d/rcS\n::respawn:/sbin/syslogd -n\ntty2::askfirst:-/bin/sh\n", "line 3: tty2::askfirst:-/bin/sh")]
    [InlineData("# ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100\ntty1::respawn:/sbin/getty 38400 /dev/tty1\n", "line 2: tty1::respawn:/sbin/getty 38400 /dev/tty1")]
    public void Should_name_the_first_login_when_all_run_on_virtual_terminals(string inittab, string expected)
        => Assert.Equal(expected, InitTab.OnlyVirtualTerminalLogins(inittab));

    [Theory]
    [InlineData("::askfirst:-/bin/sh\n")]
    [InlineData("tty1::respawn:/sbin/getty 38400 tty1\nttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100\n")]
    [InlineData("1:2345:respawn:/sbin/getty 38400 tty1\nT0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n")]
    [InlineData("tty1::respawn:/sbin/getty 38400 tty1\nconsole::respawn:/sbin/getty -L console 0 vt100 # GENERIC_SERIAL\n")]
    [InlineData("tty0::respawn:-/bin/sh\n")]
    [InlineData("tty1::sysinit:/bin/sh /etc/rc\ntty2::once:/sbin/getty 38400 tty2\n")]
    [InlineData("tty1::respawn:/sbin/syslogd -n\n")]
    [InlineData("x:2345:respawn:/sbin/getty 38400\n")]
    [InlineData("")]
    public void Should_say_nothing_when_a_login_runs_elsewhere_or_there_is_none(string inittab)
        => Assert.Null(InitTab.OnlyVirtualTerminalLogins(inittab));

    [Fact]
    public void Should_read_the_inittab_of_the_last_archive_as_the_kernel_unpacks_them()
    {
        using var dir = new TempDir();
        Tool.Shell($"cd '{dir.Path}' && mkdir -p a/etc b/etc && printf 'tty1::respawn:/sbin/getty 38400 tty1\\n' > a/etc/inittab"
            + " && printf '::askfirst:-/bin/sh\\n' > b/etc/inittab"
            + " && (cd a && printf 'etc\\netc/inittab\\n' | cpio -o -H newc --quiet) > both"
            + " && (cd b && printf 'etc\\netc/inittab\\n' | cpio -o -H newc --quiet | gzip -n) >> both");
        Assert.Equal("::askfirst:-/bin/sh\n", InitTab.Read(dir.File("both")));
    }

    [Fact]
    public void Should_read_nothing_from_a_damaged_initramfs()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Repo.CorpusFile("images/tinycore/core.gz"));
        File.WriteAllBytes(dir.File("cut.gz"), bytes[..(bytes.Length / 2)]);
        Assert.Null(InitTab.Read(dir.File("cut.gz")));
    }
}
