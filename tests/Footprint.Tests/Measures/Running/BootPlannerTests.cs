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
    public void Should_refuse_what_does_not_boot()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.txt"), "hello");
        Assert.Throws<FootprintFormatException>(() => BootPlanner.Plan(new BootRequest { Artifact = dir.File("x.txt"), Kernel = Repo.Fixture("kernel/vmlinuz") }));
    }
}
