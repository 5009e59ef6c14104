using System.Text.Json.Nodes;
using Footprint.Measures.Running;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>`footprint boot` as a user runs it: exit codes, one-line errors, JSON against docs/boot.schema.json.</summary>
[Collection(QemuCollection.Name)]
public sealed class BootCommandTests
{
    [Fact]
    public void Should_exit_2_with_one_line_for_a_file_that_does_not_boot()
    {
        using var home = new TempDir();
        File.WriteAllText(home.File("notes.txt"), "not bootable");
        var (code, stdout, stderr) = FootprintProcess.Run(home.Path, null, "boot", home.File("notes.txt"), "--kernel", Repo.Fixture("kernel/vmlinuz"));
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("not a bootable artifact", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_for_an_initramfs_without_a_kernel()
    {
        using var home = new TempDir();
        var (code, _, stderr) = FootprintProcess.Run(home.Path, null, "boot", Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz"));
        Assert.Equal(2, code);
        Assert.Contains("--kernel", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_for_an_out_of_range_option()
    {
        using var home = new TempDir();
        var (code, _, stderr) = FootprintProcess.Run(home.Path, null, "boot", Repo.CorpusFile("images/floppinux/floppinux.img"), "--memory", "2");
        Assert.Equal(2, code);
        Assert.Contains("--memory", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_write_json_that_validates_with_the_plan_and_idle_memory()
    {
        using var home = new TempDir();
        var (code, stdout, stderr) = FootprintProcess.Run(home.Path, null, "boot", Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img"),
            "--repeats", "1", "--memory", "96", "-f", "json");
        Assert.True(code == 0, stderr + stdout);
        Assert.Empty(Schemas.Errors(Schemas.Boot, stdout));
        var r = JsonNode.Parse(stdout)!["runningMemory"]!;
        Assert.Equal("booted", r["outcome"]!.GetValue<string>());
        Assert.Equal("panic=-1", r["plan"]!["added"]!.GetValue<string>());
        Assert.Equal(96, r["idle"]!["machineMiB"]!.GetValue<int>());
        Assert.Contains("boot 1: -m 96 MiB: booted", stderr, StringComparison.Ordinal);
        Assert.Empty(QemuMachine.RunningProcessIds);
        Assert.Equal("", Tool.Run("pgrep", "-f", "footprint-qemu-").Stdout.Trim());
    }

    [Fact]
    public void Should_add_running_memory_to_the_measure_report_with_boot()
    {
        using var home = new TempDir();
        var (code, stdout, stderr) = FootprintProcess.Run(home.Path, null, "measure", "--boot", "-f", "json", "--no-cache", Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img"));
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        var r = JsonNode.Parse(stdout)!["artifacts"]![0]!["runningMemory"]!;
        Assert.Equal("booted", r["outcome"]!.GetValue<string>());
        Assert.Single(r["timeToPrompt"]!["samples"]!.AsArray());
        Assert.True(r["idle"]!["usedKiB"]!.GetValue<long>() > 0);
    }

    [Fact]
    public void Should_exit_1_with_the_failure_class_and_last_lines_when_the_boot_fails()
    {
        using var home = new TempDir();
        Tool.Shell($"cd '{home.Path}' && mkdir t && printf 'not a program\\n' > t/init && chmod 755 t/init && cd t && echo init | cpio -o -H newc --quiet > ../bad.cpio");
        var (code, stdout, _) = FootprintProcess.Run(home.Path, null, "boot", home.File("bad.cpio"), "--kernel", Repo.Fixture("kernel/vmlinuz"), "--repeats", "1", "--timeout", "150");
        Assert.Equal(1, code);
        Assert.Contains("outcome         no-init", stdout, StringComparison.Ordinal);
        Assert.Contains("No working init found", stdout, StringComparison.Ordinal);
    }
}
