using System.Text.Json;
using Footprint.Tests.Formats.Kernel;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Kernel;

/// <summary>
/// Kernel images measured whole through the CLI: the kernel section, the built-in initramfs measured as the layer
/// (against the same initramfs measured as a file of its own), the JSON against docs/report.schema.json, and exit code
/// 2 with the file and offset named for a damaged image.
/// </summary>
public sealed class KernelSourceTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");

    [Fact]
    public void Should_measure_debians_vmlinuz_as_a_kernel_with_only_the_default_initramfs()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", KernelSamples.Debian);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        var a = JsonDocument.Parse(stdout).RootElement.GetProperty("artifacts")[0];
        Assert.Equal("kernel", a.GetProperty("kind").GetString());
        var k = a.GetProperty("kernel");
        Assert.Equal(File.ReadAllText(Repo.Fixture("kernel/version")).Trim(), k.GetProperty("release").GetString());
        Assert.Equal("xz", k.GetProperty("compressor").GetString());
        Assert.Equal(new FileInfo(KernelSamples.Debian).Length, k.GetProperty("fileBytes").GetInt64());
        Assert.False(k.TryGetProperty("config", out _));
        Assert.True(k.GetProperty("initramfs").GetProperty("defaultStub").GetBoolean());
        Assert.Equal(0, a.GetProperty("installed").GetProperty("files").GetInt64());
        Assert.Equal(new FileInfo(KernelSamples.Debian).Length, a.GetProperty("download").GetProperty("totalBytes").GetInt64());
    }

    [Fact]
    public void Should_measure_a_builtin_initramfs_as_the_same_initramfs_measured_alone()
    {
        using var dir = new TestSupport.TempDir();
        var kernel = KernelSamples.Sandbox(dir);
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", kernel);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        var a = JsonDocument.Parse(stdout).RootElement.GetProperty("artifacts")[0];
        Assert.Equal("5.15.56", a.GetProperty("kernel").GetProperty("release").GetString());
        Assert.False(a.GetProperty("kernel").GetProperty("initramfs").GetProperty("defaultStub").GetBoolean());

        var alone = Load.Measure(Repo.CorpusFile("images/initramfs_sandbox/busybox-rootfs.cpio.gz"));
        var installed = a.GetProperty("installed");
        Assert.Equal(alone.Installed.ApparentBytes, installed.GetProperty("apparentBytes").GetInt64());
        Assert.Equal(alone.Installed.Files, installed.GetProperty("files").GetInt64());
        Assert.Equal(alone.RamResident!.MinimumBytes, a.GetProperty("ramResident").GetProperty("minimumBytes").GetInt64());

        // Ground truth for the files: GNU cpio listing the same gzip'ed archive.
        var files = Tool.Shell($"zcat '{Repo.CorpusFile("images/initramfs_sandbox/busybox-rootfs.cpio.gz")}' | cpio -itv --quiet 2>/dev/null | grep -c '^-' || true").Trim();
        Assert.Equal(long.Parse(files, System.Globalization.CultureInfo.InvariantCulture), installed.GetProperty("files").GetInt64());
    }

    [Fact]
    public void Should_measure_a_kernel_with_ikconfig_and_report_its_facts()
    {
        using var dir = new TestSupport.TempDir();
        var floppinux = KernelSamples.Floppinux(dir);
        var vmlinux = KernelSamples.WithIkconfig(dir, KernelSamples.ExtractVmlinux(dir, floppinux, "plain"), Repo.Fixture("kernel/config"), "vmlinux");
        var image = KernelSamples.BuildBzImage(dir, floppinux, vmlinux, "zstd", "bzImage");
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", image);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        var config = JsonDocument.Parse(stdout).RootElement.GetProperty("artifacts")[0].GetProperty("kernel").GetProperty("config");
        Assert.True(config.GetProperty("serialConsole").GetBoolean());
        Assert.Equal("m", config.GetProperty("squashfs").GetString());
        Assert.Equal("y", config.GetProperty("devtmpfs").GetString());
        Assert.Equal("8192", config.GetProperty("memory").GetProperty("NR_CPUS").GetString());

        var (tableCode, table, _) = Tool.Run("/usr/bin/env", "COLUMNS=200", "dotnet", Cli, "measure", "-q", image);
        Assert.Equal(0, tableCode);
        Assert.Contains("config (IKCONFIG)", table, StringComparison.Ordinal);
        Assert.Contains("SERIAL_8250_CONSOLE", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_naming_the_file_and_offset_for_a_damaged_kernel()
    {
        using var dir = new TestSupport.TempDir();
        var image = File.ReadAllBytes(KernelSamples.Debian);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x24C), 0x7FFFFFFF);
        var path = dir.File("vmlinuz");
        File.WriteAllBytes(path, image);
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}: at offset {0x248}:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
