using Footprint.Analyzers.Binaries;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Binaries;

/// <summary>Which common commands are BusyBox applets: against the image's own shell resolving them (bwrap into the extracted rootfs).</summary>
public sealed class BusyBoxCommandsTests
{
    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
    [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz")]
    public void Should_class_commands_as_the_images_shell_resolves_them(string corpus)
    {
        var tarball = Repo.CorpusFile(corpus);
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", tarball, "-C", dir.Path);
        var names = string.Join(' ', BusyBoxCommands.Common);
        // Inside the image: PATH lookup by its own `which` (not `command -v`: kill is a shell builtin), then the final target;
        // an applet is the busybox binary itself (a symlink to it, or a hard link: the BusyBox images use hard links).
        var truth = Tool.Output("bwrap", "--bind", dir.Path, "/", "--dev", "/dev", "--proc", "/proc", "/bin/sh", "-c",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; for c in " + names + "; do p=$(which $c) || continue; "
            + "if [ \"$(readlink -f $p)\" -ef /bin/busybox ]; then echo \"applet $c\"; else echo \"other $c\"; fi; done")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToLookup(f => f[0], f => f[1]);

        var report = Load.Measure(tarball).Lint!.BusyBox!;

        Assert.Equal(truth["applet"].Order(StringComparer.Ordinal), report.AppletCommands.Order(StringComparer.Ordinal));
        Assert.Equal(truth["other"].Order(StringComparer.Ordinal), report.OtherCommands.Order(StringComparer.Ordinal));
        Assert.Contains("sh", report.AppletCommands);
        Assert.True(report.Applets > 100);
    }

    [Fact]
    public void Should_say_nothing_where_there_is_no_busybox()
        => Assert.Null(Load.Measure(Repo.Fixture("debian/rootfs.tar")).Lint!.BusyBox);
}
