using Footprint.Analyzers;
using Footprint.Pipeline;

namespace Footprint.Tests.Pipeline;

public sealed class AnalyzerSelectionTests
{
    private static readonly AnalysisOptions Options = new();

    private static IReadOnlyList<IProducer> All => AnalyzerRegistry.Create(Options);

    [Fact]
    public void Should_run_everything_wanted_by_default()
    {
        var (run, skipped) = new AnalyzerSelection().Apply(All, Options);
        Assert.Empty(skipped);
        // The file list is wanted only for `sbom --files`; reachability only when AnalysisOptions.Reachability asks for it; the breakdown only for `report` (or measure --breakdown);
        // vulnerabilities only with an advisory database.
        Assert.Equal(All.Select(p => p.Id).Where(id => id is not "file-list" and not "file-listing" and not "reachability" and not "vulnerabilities" and not "breakdown"), run.Select(p => p.Id));
    }

    [Fact]
    public void Should_keep_the_inputs_of_exact_types_and_the_core_with_only()
    {
        var (run, skipped) = new AnalyzerSelection { Only = ["loader"] }.Apply(All, Options);
        Assert.Equal(["installed-footprint", "binaries", "layer-verification", "libc", "loader", "inventory", "download"], run.Select(p => p.Id));
        Assert.Contains(skipped, s => s.Producer.Id == "dpkg-db" && s.Reason == "not selected by --only");
    }

    [Fact]
    public void Should_not_pull_every_ecosystem_through_an_aggregate()
    {
        var (run, _) = new AnalyzerSelection { Only = ["apk-db"] }.Apply(All, Options);
        Assert.Equal(["installed-footprint", "os-identity", "apk-db", "layer-verification", "inventory", "download"], run.Select(p => p.Id));
    }

    [Fact]
    public void Should_disable_and_say_so()
    {
        var (run, skipped) = new AnalyzerSelection { Disable = ["dpkg-db", "hardening"] }.Apply(All, Options);
        Assert.DoesNotContain(run, p => p.Id is "dpkg-db" or "hardening");
        Assert.Equal([("dpkg-db", "disabled"), ("hardening", "disabled")], skipped.Select(s => (s.Producer.Id, s.Reason)));
    }

    [Theory]
    [InlineData("installed-footprint")]
    [InlineData("download")]
    [InlineData("inventory")]
    public void Should_refuse_to_disable_a_core_measurement(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => new AnalyzerSelection { Disable = [id] }.Apply(All, Options));
        Assert.Contains("core measurement", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dpkg", "dpkg-db")]
    [InlineData("hardenig", "hardening")]
    [InlineData("lodaer", "loader")]
    public void Should_suggest_the_id_that_was_meant(string typed, string meant)
    {
        var error = Assert.Throws<ArgumentException>(() => new AnalyzerSelection { Only = [typed] }.Apply(All, Options));
        Assert.Contains($"did you mean '{meant}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_not_suggest_a_far_fetched_id()
    {
        var error = Assert.Throws<ArgumentException>(() => new AnalyzerSelection { Disable = ["zzzzzzzz"] }.Apply(All, Options));
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }
}
