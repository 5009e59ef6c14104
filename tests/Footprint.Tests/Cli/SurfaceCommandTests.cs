using System.Text.Json;
using System.Text.RegularExpressions;
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
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", "--details", "-o", output, alpine);
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

    [Fact]
    public void Should_summarise_by_default_and_list_every_item_with_details()
    {
        var debian = "oci:" + Repo.Fixture("debian/oci") + ":two";
        var (code, json, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", "-f", "json", debian);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(json);
        var surface = doc.RootElement.GetProperty("artifacts")[0].GetProperty("surface");
        var setuid = surface.GetProperty("setIdFiles").EnumerateArray().Where(f => f.GetProperty("setUid").GetBoolean()).Select(f => f.GetProperty("path").GetString()!).ToList();
        var elfFiles = surface.GetProperty("hardening").GetProperty("files").GetArrayLength();
        var users = surface.GetProperty("accounts").GetProperty("users").GetArrayLength();
        Assert.NotEmpty(setuid);
        Assert.True(elfFiles > 100, $"{elfFiles} ELF files");

        (code, var summary, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", debian);
        Assert.True(code == 0, stderr);
        var summaryLines = summary.Split('\n');
        Assert.True(summaryLines.Length < 80, $"{summaryLines.Length} lines");
        Assert.Contains(summaryLines, l => Regex.IsMatch(l, $@"^\s*setuid\s+{setuid.Count}\s") && setuid.Take(8).All(p => l.Contains(p, StringComparison.Ordinal)));
        Assert.Contains(summaryLines, l => Regex.IsMatch(l, $@"^\s*users\s+{users}\s"));
        Assert.Contains("ELF hardening coverage", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("ELF files", summary, StringComparison.Ordinal);
        Assert.Contains("--details", summary, StringComparison.Ordinal);

        (code, var details, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", "--details", debian);
        Assert.True(code == 0, stderr);
        var detailLines = details.Split('\n');
        Assert.True(detailLines.Length > elfFiles + users, $"{detailLines.Length} lines");
        Assert.All(setuid, p => Assert.Contains(detailLines, l => l.Contains("setuid", StringComparison.Ordinal) && l.Contains(p, StringComparison.Ordinal)));
        Assert.Contains("ELF files", details, StringComparison.Ordinal);
    }
}
