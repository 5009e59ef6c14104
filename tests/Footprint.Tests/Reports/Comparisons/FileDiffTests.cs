using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class FileDiffTests
{
    [Fact]
    public void Should_compare_by_content_hash_not_by_size()
    {
        var (changes, totals) = FileDiff.Of(
            [Sample.File("/a", 10, "aa"), Sample.File("/same-size", 4, "s1"), Sample.File("/kept", 7, "k"), Sample.File("/gone", 3, "g")],
            [Sample.File("/a", 15, "ab"), Sample.File("/same-size", 4, "s2"), Sample.File("/kept", 7, "k"), Sample.File("/new", 9, "n")]);
        Assert.Equal(["/a changed 5", "/gone removed -3", "/new added 9", "/same-size changed 0"], changes.Select(c => $"{c.Path} {c.Change} {c.DeltaBytes}"));
        Assert.Equal(new ChangeTotals(1, 1, 2, 1, 9, 3, 5, 11), totals);
    }
}
