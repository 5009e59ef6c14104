using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>The `footprint surface` command as a user runs it (a separate process, output redirected).</summary>
public sealed class SurfaceCommandTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_write_the_surface_as_json_the_schema_accepts()
    {
        var openwrt = Repo.CorpusFile("openwrt/docker-openwrt-rootfs.tar.gz");
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "surface", "--format", "json", openwrt);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        using var doc = JsonDocument.Parse(stdout);
        var surface = doc.RootElement.GetProperty("artifacts")[0].GetProperty("surface");
        Assert.Equal("procd", surface.GetProperty("init").GetProperty("system").GetString());
        Assert.Contains(surface.GetProperty("daemons").EnumerateArray(), d => d.GetProperty("name").GetString() == "uhttpd");
    }

    [Fact]
    public void Should_write_the_tables_and_the_measure_summary_line()
    {
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var output = _dir.File("surface.txt");
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", "-o", output, alpine);
        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(output);
        Assert.Contains("surface score", text, StringComparison.Ordinal);
        Assert.Contains("/sbin/apk", text, StringComparison.Ordinal);
        Assert.Contains("BusyBox", text, StringComparison.Ordinal);
        Assert.Contains("ELF hardening coverage", text, StringComparison.Ordinal);

        var measure = _dir.File("measure.txt");
        (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "-o", measure, alpine);
        Assert.True(code == 0, stderr);
        var summary = File.ReadAllLines(measure).Where(l => l.Contains("Surface", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(summary);
        Assert.Contains("score", string.Join(' ', summary), StringComparison.Ordinal);
        Assert.Contains("SUID", File.ReadAllText(measure), StringComparison.Ordinal);
    }
}
