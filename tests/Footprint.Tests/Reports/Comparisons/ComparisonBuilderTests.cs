using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class ComparisonBuilderTests
{
    [Fact]
    public void Should_name_every_smallest_value_as_a_winner_on_a_tie()
    {
        var c = ComparisonBuilder.Build([Sample.Report("a", 10), Sample.Report("b", 5), Sample.Report("c", 5)], Sample.Tool);
        var row = c.Rows.Single(r => r.Id == "installed-apparent-bytes");
        Assert.Equal([10L, 5L, 5L], row.Values);
        Assert.Equal([1, 2], row.Winners);
        Assert.Equal("smaller", row.Better);
        Assert.Null(row.Differences);
    }

    [Fact]
    public void Should_not_rank_a_figure_fewer_than_two_artifacts_have()
    {
        var c = ComparisonBuilder.Build([Sample.Report("a", 10, download: 7), Sample.Report("b", 5)], Sample.Tool);
        var row = c.Rows.Single(r => r.Id == "download-bytes");
        Assert.Equal([7L, null], row.Values);
        Assert.Empty(row.Winners);
    }

    [Fact]
    public void Should_leave_out_a_figure_no_artifact_has_and_not_rank_counts()
    {
        var c = ComparisonBuilder.Build([Sample.Report("a", 10, packages: []), Sample.Report("b", 5, packages: [Sample.Package("apk", "x", "1-r0")])], Sample.Tool);
        Assert.DoesNotContain(c.Rows, r => r.Id is "download-bytes" or "surface-score" or "ram-resident-minimum-bytes" or "vulnerabilities");
        var packages = c.Rows.Single(r => r.Id == "packages");
        Assert.Null(packages.Better);
        Assert.Empty(packages.Winners);
        Assert.Equal([0L, 1L], packages.Values);
    }

    [Fact]
    public void Should_give_differences_from_the_baseline()
    {
        var c = ComparisonBuilder.Build([Sample.Report("a", 10, download: 3), Sample.Report("b", 4), Sample.Report("c", 25, download: 1)], Sample.Tool, baseline: 0);
        Assert.Equal([0L, -6L, 15L], c.Rows.Single(r => r.Id == "installed-apparent-bytes").Differences);
        Assert.Equal([0L, null, -2L], c.Rows.Single(r => r.Id == "download-bytes").Differences);
        Assert.Equal(0, c.Baseline);
    }

    [Fact]
    public void Should_refuse_a_baseline_that_is_not_compared()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonBuilder.Build([Sample.Report("a", 1), Sample.Report("b", 2)], Sample.Tool, baseline: 2));
}
