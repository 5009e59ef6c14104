using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>`footprint lint` as a user runs it: exit codes for --fail-on, JSON valid against the schema.</summary>
public sealed class LintCommandTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null, 1)]
    [InlineData("error", 1)]
    [InlineData("warning", 1)]
    [InlineData("info", 1)]
    [InlineData("never", 0)]
    public void Should_exit_1_when_a_finding_reaches_the_threshold(string? failOn, int expected)
    {
        string[] args = failOn is null ? ["lint", "-q", "-f", "json", Repo.Fixture("broken/busybox-bash.tar")] : ["lint", "-q", "-f", "json", "--fail-on", failOn, Repo.Fixture("broken/busybox-bash.tar")];
        var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, .. args]);
        Assert.True(code == expected, stderr);
        Assert.Contains("script-interpreter-missing", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_0_on_a_healthy_image_and_write_schema_valid_json()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "lint", "-q", "-f", "json", Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        using var doc = JsonDocument.Parse(stdout);
        var lint = doc.RootElement.GetProperty("artifacts")[0].GetProperty("lint");
        Assert.Equal("musl", lint.GetProperty("libc").GetProperty("name").GetString());
        Assert.Equal(0, lint.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void Should_write_schema_valid_json_with_findings()
    {
        var output = _dir.File("lint.json");
        var (code, _, _) = Tool.Run("dotnet", Cli, "lint", "-q", "-f", "json", "-o", output, Repo.Fixture("broken/alpine-glibc.tar"));
        Assert.Equal(1, code);
        Assert.Empty(Schemas.Errors(Schemas.Report, File.ReadAllText(output)));
    }

    [Fact]
    public void Should_exit_2_on_a_missing_artifact()
    {
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "lint", "-q", _dir.File("nope.tar"));
        Assert.Equal(2, code);
        Assert.StartsWith("footprint: error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_on_a_bad_threshold()
    {
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "lint", "--fail-on", "sometimes", Repo.Fixture("broken/busybox-bash.tar"));
        Assert.Equal(2, code);
        Assert.Contains("sometimes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_show_the_C_library_in_the_measure_table()
    {
        var (code, stdout, _) = Tool.Run("dotnet", Cli, "measure", "-q", "--no-push-size", Repo.Fixture("broken/alpine-glibc.tar"));
        Assert.Equal(0, code);
        Assert.Contains("C library / lint", stdout, StringComparison.Ordinal);
        Assert.Contains("musl 1.2.5", stdout, StringComparison.Ordinal);
    }
}
