using Footprint.Advisories.Versions;

namespace Footprint.Tests.Advisories.Versions;

/// <summary>rpm's order against rpm's own rpmvercmp tests and OSV's EVR pairs.</summary>
public sealed class RpmVersionComparerTests
{
    [Fact]
    public void Should_order_every_case_of_rpms_rpmvercmp_tests()
    {
        var pairs = VersionVectors.RpmvercmpPairs("rpm-rpmvercmp.at.data");
        Assert.True(pairs.Count >= 90, $"{pairs.Count} cases");
        var failures = pairs.Where(p => VersionVectors.Operator(RpmVersionComparer.Rpmvercmp(p.A, p.B)) != p.Operator).Select(p => p.ToString()).ToList();
        Assert.Empty(failures);
    }

    private static List<string> Failures(RpmVersionComparer comparer)
        => VersionVectors.OperatorPairs("osv-redhat-versions.txt")
            .Where(p => VersionVectors.Operator(comparer.Compare(p.A, p.B)) != p.Operator || VersionVectors.Operator(comparer.Compare(p.B, p.A)) != Reverse(p.Operator))
            .Select(p => p.ToString()).ToList();

    private static string Reverse(string op) => op == "<" ? ">" : op == ">" ? "<" : op;

    [Fact]
    public void Should_order_every_evr_pair_of_osv_with_osvs_missing_release_rule()
    {
        Assert.True(VersionVectors.OperatorPairs("osv-redhat-versions.txt").Count >= 100);
        Assert.Empty(Failures(RpmVersionComparer.MissingReleaseFirst));
    }

    [Fact]
    public void Should_list_the_osv_pairs_where_rpm_skips_the_missing_release()
    {
        // rpmverCmp compares releases only when both sides have one, so "1" equals every "1-*"; OSV puts it first.
        Assert.Equal(
            ["osv-redhat-versions.txt:111: 1 < 1-1", "osv-redhat-versions.txt:112: 1 < 1-0", "osv-redhat-versions.txt:113: 1 < 1-", "osv-redhat-versions.txt:136: 1 < 1-"],
            Failures(RpmVersionComparer.Instance));
        Assert.Equal(0, RpmVersionComparer.Instance.Compare("1.0", "1.0-5.el9"));
    }

    [Theory]
    [InlineData("1:2.3-4.el9", "2.3-4.el9", 1)]
    [InlineData("0:2.3-4.el9", "2.3-4.el9", 0)]
    [InlineData(":2.3-4", "0:2.3-4", 0)] // parseEVR: an empty epoch is 0
    [InlineData("1.m+e2:1", "4.m+e1:1", -1)] // a colon after non-digits is no epoch
    [InlineData("2.3-4.el9_1", "2.3-4.el9", 1)]
    [InlineData("2.3~rc1-1", "2.3-1", -1)]
    public void Should_split_epoch_version_and_release_like_rpm(string a, string b, int expected)
    {
        Assert.Equal(expected, RpmVersionComparer.Instance.Compare(a, b));
        Assert.Equal(-expected, RpmVersionComparer.Instance.Compare(b, a));
    }

    [Theory]
    [InlineData("2.3-4.el9", null)]
    [InlineData("1:2.3^20240101git1-4.fc40", null)]
    [InlineData("", "version is empty")]
    [InlineData("-1", "version part is empty")]
    [InlineData("1.0-", "release part is empty")]
    [InlineData("1.0 beta-1", "invalid character ' ' in version")]
    public void Should_report_versions_rpmbuild_would_refuse(string version, string? problem)
        => Assert.Equal(problem, RpmVersionComparer.Instance.Problem(version));
}
