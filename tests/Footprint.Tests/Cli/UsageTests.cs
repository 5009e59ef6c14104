using System.Text.RegularExpressions;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// Exit codes (0 success, 1 findings or a gate tripped, 2 usage error or unreadable artifact), usage hints and
/// help text, as a user meets them.
/// </summary>
public sealed partial class UsageTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("mesure x")]
    [InlineData("measure --formt json x")]
    [InlineData("measure --format xml x")]
    [InlineData("inventory --bogus x")]
    [InlineData("inventory")]
    [InlineData("surface x --no-such-option")]
    [InlineData("sbom --format yaml x")]
    [InlineData("sbom")]
    [InlineData("lint --fail-on sometimes x")]
    [InlineData("lint x y")]
    [InlineData("measure --top ten x")]
    [InlineData("--no-such-option")]
    public void Should_exit_2_on_a_usage_error_with_a_short_message(string args)
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("footprint: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", stderr, StringComparison.Ordinal);
        Assert.True(stderr.Split('\n').Length <= 6, stderr);
    }

    [Fact]
    public void Should_exit_2_on_an_artifact_that_cannot_be_read()
    {
        var junk = _dir.File("junk.bin");
        File.WriteAllText(junk, "not an artifact");
        foreach (var command in new[] { "measure", "inventory", "sbom", "lint", "surface" })
        {
            var (code, _, stderr) = Tool.Run("dotnet", Cli, command, "-q", junk);
            Assert.True(code == 2, $"{command}: {code} {stderr}");
            Assert.StartsWith("footprint: error: ", stderr, StringComparison.Ordinal);
            Assert.Contains(junk, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_exit_0_on_success_and_1_on_findings()
    {
        var rootfs = _dir.File("hostile.tar");
        HostileRootfs.Write(rootfs);
        Assert.Equal(0, Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", rootfs).ExitCode);
        Assert.Equal(1, Tool.Run("dotnet", Cli, "lint", "-q", rootfs).ExitCode); // bin/run.sh: interpreter missing
        Assert.Equal(0, Tool.Run("dotnet", Cli, "lint", "-q", "--fail-on", "never", rootfs).ExitCode);
    }

    [Fact]
    public void Should_suggest_the_command_without_the_help_dump()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "mesure", "x");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("footprint: error: unknown command 'mesure'; did you mean 'measure'?\nRun 'footprint --help' for usage.\n", stderr);
    }

    [Fact]
    public void Should_suggest_the_option()
    {
        var (_, _, stderr) = Tool.Run("dotnet", Cli, "inventory", "--platfrom", "linux/amd64", "x");
        Assert.Contains("did you mean '--platform'?", stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'footprint inventory --help' for usage.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("measure --help")]
    [InlineData("inventory --help")]
    [InlineData("sbom --help")]
    [InlineData("lint --help")]
    [InlineData("surface -h")]
    public void Should_document_the_exit_codes_in_every_help(string args)
    {
        var (code, stdout, _) = Tool.Run("dotnet", [Cli, .. args.Split(' ')]);
        Assert.Equal(0, code);
        var text = OneLine(stdout);
        Assert.Contains("Exit codes: 0 success 1 findings or a gate tripped (lint --fail-on) 2 usage error", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_name_every_artifact_kind_in_measure_help()
    {
        var text = OneLine(Tool.Output("dotnet", Cli, "measure", "--help"));
        foreach (var kind in new[]
        {
            "docker-archive tar", "OCI layout", "OCI archive", "rootfs tarball", "gzip", "xz", "zstd", "bzip2", "directory", "ISO 9660",
            "squashfs", "initramfs", "FAT", "firmware", "this machine", "docker-archive:,", "oci:,", "oci-archive:,", "dir:", "PATH:TAG",
        })
        {
            Assert.Contains(kind, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Help wraps to the console width: compare with every run of white space as one space.</summary>
    private static string OneLine(string text) => Spaces().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
