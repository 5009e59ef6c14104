using Footprint.Formats;
using Footprint.Measures.Running;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running;

/// <summary>
/// Plans for real media, checked against what mtools/isoinfo show of their configurations and files; no boot. The
/// kernels' serial drivers were checked by decompressing their payloads by hand: the FLOPPINUX kernel has no
/// "serial8250", the busybox boot disk's and Debian's have.
/// </summary>
public sealed class BootPlannerTests
{
    [Fact]
    public void Should_plan_floppinux_on_the_vga_screen_with_its_own_initrd()
    {
        var image = Repo.CorpusFile("images/floppinux/floppinux.img");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = image });
        Assert.Equal("medium-kernel", plan.Name);
        Assert.Equal(ConsoleRoute.VgaText, plan.Route);
        Assert.Equal("panic=-1 no-scroll", plan.Added);
        Assert.Equal("panic=-1 no-scroll", plan.CommandLine);
        Assert.Equal("bzImage", plan.KernelSource);
        Assert.Equal(["rootfs.cpio.xz"], plan.InitrdSources);
        Assert.Equal($"file={Path.GetFullPath(image)},format=raw,if=floppy,readonly=on", plan.Drive);
        // The kernel and initrd copied out of the FAT image are byte-identical to mtools' copies.
        using var dir = new TempDir();
        Tool.Output("mcopy", "-n", "-i", image, "::bzImage", dir.File("k"));
        Tool.Output("mcopy", "-n", "-i", image, "::rootfs.cpio.xz", dir.File("i"));
        Assert.Equal(File.ReadAllBytes(dir.File("k")), File.ReadAllBytes(plan.KernelFile));
        var initrd = File.ReadAllBytes(plan.InitrdFile!);
        var expected = File.ReadAllBytes(dir.File("i"));
        Assert.Equal(expected, initrd[..expected.Length]);
        Assert.Equal(0, initrd.Length % 4);
        Assert.Equal("5.13.0-rc4+", plan.KernelVersion);
    }

    [Fact]
    public void Should_plan_the_busybox_boot_disk_on_the_serial_console()
    {
        var image = Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = image });
        Assert.Equal(ConsoleRoute.Serial, plan.Route);
        Assert.Equal("console=ttyS0", plan.OwnCommandLine);
        Assert.Equal("console=ttyS0 panic=-1", plan.CommandLine);
        Assert.Equal("panic=-1", plan.Added);
        Assert.Null(plan.InitrdFile);
        Assert.EndsWith(",format=raw,if=ide,snapshot=on", plan.Drive, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_concatenate_slitaz_initrds_in_config_order()
    {
        var iso = Repo.Fixture("live/slitaz.iso");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = iso });
        Assert.Equal(["boot/rootfs4.gz", "boot/rootfs3.gz", "boot/rootfs2.gz", "boot/rootfs1.gz"], plan.InitrdSources);
        Assert.Contains("media=cdrom,readonly=on", plan.Drive, StringComparison.Ordinal);
        var expected = new List<byte>();
        foreach (var i in plan.InitrdSources)
        {
            var bytes = Convert.FromHexString(Tool.Shell($"isoinfo -R -i '{iso}' -x /{i} | od -An -v -tx1 | tr -d ' \\n'"));
            expected.AddRange(bytes);
            while (expected.Count % 4 != 0)
            {
                expected.Add(0);
            }
        }

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(plan.InitrdFile!));
    }

    [Fact]
    public void Should_delete_its_temporary_files()
    {
        string kernel;
        using (var plan = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/floppinux/floppinux.img") }))
        {
            kernel = plan.KernelFile;
            Assert.True(File.Exists(kernel));
        }

        Assert.False(File.Exists(kernel));
        Assert.False(Directory.Exists(Path.GetDirectoryName(kernel)));
    }

    [Fact]
    public void Should_ask_for_a_kernel_for_an_initramfs()
    {
        var e = Assert.Throws<FootprintFormatException>(() => BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz") }));
        Assert.Contains("--kernel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_boot_an_initramfs_with_a_stated_kernel_and_say_when_it_has_no_init()
    {
        using var dir = new TempDir();
        Tool.Shell($"cd '{dir.Path}' && mkdir -p t/etc && cd t && echo etc | cpio -o -H newc 2>/dev/null | gzip > ../noinit.cpio.gz");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = dir.File("noinit.cpio.gz"), Kernel = Repo.Fixture("kernel/vmlinuz") });
        Assert.Equal("stated-kernel", plan.Name);
        Assert.Equal(ConsoleRoute.Serial, plan.Route);
        Assert.Equal(dir.File("noinit.cpio.gz"), plan.InitrdFile);
        Assert.Contains(plan.Notes, n => n.Contains("no /init", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Repo.Fixture("kernel/version")).Trim(), plan.KernelVersion);
    }

    [Fact]
    public void Should_write_a_rootfs_tarball_as_a_newc_initramfs()
    {
        var tar = Repo.CorpusFile("images/buildroot-tp/rootfs.tar");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = tar, Kernel = Repo.Fixture("kernel/vmlinuz") });
        // GNU cpio lists the written archive with the tarball's names (tar -t), without "./" and trailing "/".
        var cpio = Tool.Shell($"cpio -it --quiet < '{plan.InitrdFile}' | sort");
        var names = Tool.Shell($"tar -tf '{tar}' | sed -e 's|^\\./||' -e 's|/$||' | grep -v '^\\.\\?$' | sort");
        Assert.Equal(names, cpio);
        // Buildroot's rootfs.tar has no ./init (its rootfs.cpio adds one): the plan says the kernel falls back to /sbin/init.
        Assert.DoesNotContain("init", names.Split('\n'));
        Assert.Contains(plan.Notes, n => n.Contains("no /init", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_plan_the_tinycore_iso_on_the_vga_screen_because_its_init_logs_in_only_on_tty1()
    {
        // tests/fixtures/boot-media.sh: Tiny Core's layout with Debian's kernel, which has the 8250 driver; the choice
        // comes from core.gz's /etc/inittab, whose only login is the autologin getty on tty1.
        var iso = Repo.Fixture("boot/tinycore.iso");
        using var plan = BootPlanner.Plan(new BootRequest { Artifact = iso });
        Assert.Equal("medium-kernel", plan.Name);
        Assert.Equal(ConsoleRoute.VgaText, plan.Route);
        Assert.Equal(ConsoleChosenBy.Inittab, plan.ConsoleChosenBy);
        Assert.Contains("(line 7: tty1::respawn:/sbin/getty -nl /sbin/autologin 38400 tty1)", plan.ConsoleReason, StringComparison.Ordinal);
        Assert.Contains(plan.ConsoleReason, plan.Notes);
        Assert.Equal("boot/isolinux/isolinux.cfg, entry microcore (DEFAULT microcore)", plan.Config);
        Assert.Equal("boot/vmlinuz", plan.KernelSource);
        Assert.Equal(["boot/core.gz"], plan.InitrdSources);
        Assert.Equal("loglevel=3 nozswap", plan.OwnCommandLine);
        Assert.Equal("panic=-1 no-scroll", plan.Added);
        Assert.Equal("loglevel=3 nozswap panic=-1 no-scroll", plan.CommandLine);
        Assert.Equal(File.ReadAllBytes(Repo.Fixture("kernel/vmlinuz")), File.ReadAllBytes(plan.KernelFile));
        var core = File.ReadAllBytes(Repo.CorpusFile("images/tinycore/core.gz"));
        Assert.Equal(core, File.ReadAllBytes(plan.InitrdFile!)[..core.Length]);
        var report = BootPlanReport.Of(plan);
        Assert.Equal(("vga-text", "inittab"), (report.Console, report.ConsoleChosenBy));
    }

    [Fact]
    public void Should_force_the_console_asked_for_and_say_so()
    {
        var iso = Repo.Fixture("boot/tinycore.iso");
        using var serial = BootPlanner.Plan(new BootRequest { Artifact = iso, Console = ConsoleChoice.Serial });
        Assert.Equal((ConsoleRoute.Serial, ConsoleChosenBy.Option), (serial.Route, serial.ConsoleChosenBy));
        Assert.Equal("console=ttyS0,115200 panic=-1", serial.Added);
        Assert.StartsWith("forced:", serial.ConsoleReason, StringComparison.Ordinal);
        Assert.Equal("option", BootPlanReport.Of(serial).ConsoleChosenBy);

        using var vga = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz"), Kernel = Repo.Fixture("kernel/vmlinuz"), Console = ConsoleChoice.Vga });
        Assert.Equal((ConsoleRoute.VgaText, ConsoleChosenBy.Option), (vga.Route, vga.ConsoleChosenBy));
        Assert.Equal("panic=-1 no-scroll", vga.Added);
        Assert.Contains(vga.ConsoleReason, vga.Notes);

        // A kernel without the serial driver still gets the serial console when it is asked for; the plan warns.
        using var floppy = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/floppinux/floppinux.img"), Console = ConsoleChoice.Serial });
        Assert.Equal(ConsoleRoute.Serial, floppy.Route);
        Assert.Contains("no 8250 serial driver", floppy.ConsoleReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_the_automatic_console_of_the_media_it_chose_before()
    {
        // The inittab rule must not move any artifact the boot tests already boot: Buildroot's getty is on the console,
        // the busybox disk has no initrd, and FLOPPINUX's kernel has no serial driver.
        using var buildroot = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz"), Kernel = Repo.Fixture("kernel/vmlinuz") });
        Assert.Equal((ConsoleRoute.Serial, ConsoleChosenBy.Kernel), (buildroot.Route, buildroot.ConsoleChosenBy));
        Assert.Equal("console=ttyS0,115200 panic=-1", buildroot.Added);
        using var disk = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img") });
        Assert.Equal((ConsoleRoute.Serial, ConsoleChosenBy.Kernel), (disk.Route, disk.ConsoleChosenBy));
        using var floppinux = BootPlanner.Plan(new BootRequest { Artifact = Repo.CorpusFile("images/floppinux/floppinux.img") });
        Assert.Equal((ConsoleRoute.VgaText, ConsoleChosenBy.Kernel), (floppinux.Route, floppinux.ConsoleChosenBy));
        Assert.Contains("the kernel has no 8250 serial driver: the console is read on the VGA text screen over QMP", floppinux.Notes);

        // The same core.gz booted with a command line that names its console keeps the serial route: the artifact chose.
        using var named = BootPlanner.Plan(new BootRequest { Artifact = Repo.Fixture("boot/tinycore.iso"), Append = "console=ttyS0" });
        Assert.Equal((ConsoleRoute.Serial, ConsoleChosenBy.Kernel), (named.Route, named.ConsoleChosenBy));
    }

    [Fact]
    public void Should_refuse_what_does_not_boot()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.txt"), "hello");
        Assert.Throws<FootprintFormatException>(() => BootPlanner.Plan(new BootRequest { Artifact = dir.File("x.txt"), Kernel = Repo.Fixture("kernel/vmlinuz") }));
    }
}
