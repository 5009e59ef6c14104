using System.Text.Json.Nodes;
using Footprint.Analyzers;
using Footprint.Pipeline;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>`--disable`, `--only` and `footprint analyzers`, as a user meets them.</summary>
public sealed class AnalyzerOptionsTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");

    private static string Debian => "oci:" + Repo.Fixture("debian/oci") + ":minbase";

    [Fact]
    public void Should_leave_out_a_disabled_ecosystem_and_say_so()
    {
        var full = Measure(Debian);
        var without = Measure(Debian, "--disable", "dpkg-db");
        Assert.Null(full["analyzers"]);
        Assert.True(Packages(full, "deb") > 50);
        Assert.Equal(0, Packages(without, "deb"));
        var statuses = without["analyzers"]!.AsArray().ToDictionary(a => (string)a!["id"]!, a => (string)a!["status"]!);
        Assert.Equal("disabled", statuses["dpkg-db"]);
        Assert.Equal("ran", statuses["loader"]);
        // The installed bytes never depend on which analyzers ran; the unowned bytes take what dpkg owned.
        Assert.Equal((long)full["installed"]!["apparentBytes"]!, (long)without["installed"]!["apparentBytes"]!);
        Assert.Equal((long)without["installed"]!["apparentBytes"]!, (long)without["inventory"]!["unownedBytes"]!);
    }

    [Fact]
    public void Should_run_only_what_was_asked_and_its_inputs()
    {
        var only = Measure(Debian, "--only", "surface");
        Assert.NotNull(only["surface"]);
        Assert.Null(only["lint"]);
        Assert.Equal(0, Packages(only, "deb"));
        var ran = only["analyzers"]!.AsArray().Where(a => (string)a!["status"]! == "ran").Select(a => (string)a!["id"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["download", "hardening", "installed-footprint", "inventory", "layer-verification", "surface"], ran);
    }

    [Fact]
    public void Should_exit_2_on_an_unknown_or_core_id()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "--disable", "dpkg", Debian);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("footprint: error: --disable dpkg: no analyzer has this id; did you mean 'dpkg-db'?", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Tool.Run("dotnet", Cli, "lint", "-q", "--disable", "download", Debian);
        Assert.Equal(2, code);
        Assert.Contains("core measurement", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_list_the_registry()
    {
        var listed = JsonNode.Parse(Tool.Output("dotnet", Cli, "analyzers", "-f", "json"))!.AsArray();
        Assert.Equal(AnalyzerRegistry.Create(new AnalysisOptions()).Select(p => p.Id), listed.Select(a => (string)a!["id"]!));
        var loader = listed.Single(a => (string)a!["id"]! == "loader")!;
        Assert.Equal(["LibcReport", "BinaryInventories"], loader["consumes"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool)listed.Single(a => (string)a!["id"]! == "download")!["core"]!);
    }

    private static JsonNode Measure(string artifact, params string[] extra)
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, "measure", "-q", "-f", "json", .. extra, artifact]);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        return JsonNode.Parse(stdout)!["artifacts"]![0]!;
    }

    private static int Packages(JsonNode artifact, string ecosystem)
        => artifact["inventory"]!["packages"]!.AsArray().Count(p => (string)p!["ecosystem"]! == ecosystem);
}
