using Footprint.Measures.Inventory;
using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class PackageDiffTests
{
    private static InventoryReport Inventory(params PackageReport[] packages) => new() { Databases = [], Packages = packages, Unknowns = [] };

    [Fact]
    public void Should_order_versions_by_the_ecosystem_not_by_the_string()
    {
        // As strings "r29" < "r7"; apk-tools orders -r29 after -r7 (and 1.2.4_git... before 1.2.5).
        var (changes, totals) = PackageDiff.Of(
            Inventory(Sample.Package("apk", "busybox", "1.36.1-r7", 100), Sample.Package("apk", "musl", "1.2.5-r0", 50), Sample.Package("apk", "zlib", "1.3.1-r0", 10)),
            Inventory(Sample.Package("apk", "busybox", "1.36.1-r29", 120), Sample.Package("apk", "musl", "1.2.4_git20230717-r4", 40), Sample.Package("apk", "zlib", "1.3.1-r0", 10)));
        Assert.Equal(["busybox upgraded 20", "musl downgraded -10"], changes.Select(c => $"{c.Name} {c.Change} {c.DeltaBytes}"));
        Assert.Equal(new ChangeTotals(0, 0, 2, 1, 0, 0, 10, 10), totals);
    }

    [Fact]
    public void Should_count_added_and_removed_packages_with_their_declared_bytes()
    {
        var (changes, totals) = PackageDiff.Of(Inventory(Sample.Package("apk", "libcrypto1.1", "1.1.1w-r1", 300)), Inventory(Sample.Package("apk", "libcrypto3", "3.0.15-r0", 500)));
        Assert.Equal(["libcrypto1.1 removed -300", "libcrypto3 added 500"], changes.Select(c => $"{c.Name} {c.Change} {c.DeltaBytes}"));
        Assert.Equal(new ChangeTotals(1, 1, 0, 0, 500, 300, 0, 200), totals);
    }

    [Fact]
    public void Should_leave_the_delta_unknown_when_a_side_declares_no_size()
    {
        var (changes, _) = PackageDiff.Of(Inventory(Sample.Package("deb", "a", "1.0")), Inventory(Sample.Package("deb", "a", "1:0.9", 5)));
        var change = Assert.Single(changes);
        Assert.Equal("upgraded", change.Change); // the epoch wins (deb-version(7))
        Assert.Null(change.DeltaBytes);
    }

    [Fact]
    public void Should_say_changed_when_the_ecosystem_has_no_version_order()
    {
        var (changes, _) = PackageDiff.Of(Inventory(Sample.Package("tcz", "bash", "4.3")), Inventory(Sample.Package("tcz", "bash", "4.2")));
        Assert.Equal("changed", Assert.Single(changes).Change);
    }

    [Fact]
    public void Should_order_an_invalid_version_as_the_package_manager_does_and_say_it_is_invalid()
    {
        var (changes, _) = PackageDiff.Of(Inventory(Sample.Package("opkg", "luci", "git-15.079.29361-3e37216-1")), Inventory(Sample.Package("opkg", "luci", "git-17.136.58961-13aa5ff-1")));
        var change = Assert.Single(changes);
        Assert.Equal("upgraded", change.Change);
        Assert.StartsWith("git-15.079.29361-3e37216-1: ", change.VersionProblem, StringComparison.Ordinal);
    }
}
