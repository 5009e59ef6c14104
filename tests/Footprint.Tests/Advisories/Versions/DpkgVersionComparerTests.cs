using System.Diagnostics;
using Footprint.Advisories.Versions;

namespace Footprint.Tests.Advisories.Versions;

/// <summary>Debian's order against dpkg's own test data, OSV's 14,442 pairs ordered by real dpkg, and the host's dpkg.</summary>
public sealed class DpkgVersionComparerTests
{
    private static List<string> Failures(IVersionComparer comparer, IEnumerable<VersionVectors.Pair> pairs)
        => pairs.Where(p => VersionVectors.Operator(comparer.Compare(p.A, p.B)) != p.Operator || VersionVectors.Operator(comparer.Compare(p.B, p.A)) != Reverse(p.Operator))
            .Select(p => $"{p} (got {VersionVectors.Operator(comparer.Compare(p.A, p.B))})").ToList();

    private static string Reverse(string op) => op == "<" ? ">" : op == ">" ? "<" : op;

    [Fact]
    public void Should_order_every_pair_of_dpkgs_own_tests()
    {
        var pairs = VersionVectors.ExpectedPairs("dpkg-Dpkg_Version.t.data");
        Assert.Equal(43, pairs.Count);
        Assert.Empty(Failures(DpkgVersionComparer.Dpkg, pairs));
    }

    [Theory]
    [InlineData("osv-debian-versions.txt", 30)]
    [InlineData("osv-debian-versions-generated.txt", 14442)]
    public void Should_order_every_pair_osv_ordered_with_dpkg(string file, int minimum)
    {
        var pairs = VersionVectors.OperatorPairs(file);
        Assert.True(pairs.Count >= minimum, $"{pairs.Count} pairs");
        var failures = Failures(DpkgVersionComparer.Dpkg, pairs);
        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} fail:\n" + string.Join("\n", failures.Take(50)));
    }

    [Fact]
    public void Should_use_the_same_order_for_opkg()
    {
        var pairs = VersionVectors.OperatorPairs("osv-debian-versions.txt").Concat(VersionVectors.ExpectedPairs("dpkg-Dpkg_Version.t.data")).ToList();
        Assert.Empty(Failures(DpkgVersionComparer.Opkg, pairs));
        Assert.Equal(VersionEcosystem.Opkg, VersionComparers.For(VersionEcosystem.Opkg).Ecosystem);
    }

    /// <summary>The host's dpkg is the ground truth: mixed pairs from the vectors plus hand-made corner cases.</summary>
    [Fact]
    public void Should_agree_with_the_hosts_dpkg()
    {
        if (!File.Exists("/usr/bin/dpkg"))
        {
            Assert.Fail("dpkg is not installed on this host; this test needs it as ground truth");
        }

        var versions = VersionVectors.OperatorPairs("osv-debian-versions-generated.txt").Where((_, i) => i % 700 == 0).SelectMany(p => new[] { p.A, p.B })
            .Concat(["1:1.0~rc1-1", "1.0~~", "1.0~", "1.0", "1.0+", "1.0-0", "1.0.0", "0:1.0-1", "1.0a", "1.0-1~bpo1", "2.30-0ubuntu1", "10:1", "1.0+dfsg-1+deb11u1", "1.0+dfsg-1+deb11u1~"])
            .Distinct().ToList();
        var disagreements = new List<string>();
        for (var i = 0; i < versions.Count; i++)
        {
            var j = (i * 7 + 3) % versions.Count;
            var (a, b) = (versions[i], versions[j]);
            var ours = VersionVectors.Operator(DpkgVersionComparer.Dpkg.Compare(a, b));
            var dpkg = DpkgCompare(a, "lt", b) ? "<" : DpkgCompare(a, "eq", b) ? "=" : ">";
            if (ours != dpkg)
            {
                disagreements.Add($"{a} {dpkg} {b} (got {ours})");
            }
        }

        Assert.True(versions.Count > 40);
        Assert.Empty(disagreements);
    }

    private static bool DpkgCompare(string a, string op, string b)
    {
        var start = new ProcessStartInfo("/usr/bin/dpkg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--compare-versions", a, op, b })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    [Theory]
    [InlineData("1.0-1", null)]
    [InlineData("1:2.3.4-5+deb11u1", null)]
    [InlineData("2.2~rc-4", null)]
    [InlineData("", "version string is empty")]
    [InlineData("1.0 1", "version string has embedded spaces")]
    [InlineData(":1.0", "epoch in version is empty")]
    [InlineData("a:1.0", "epoch in version is not number")]
    [InlineData("99999999999:1.0", "epoch in version is too big")]
    [InlineData("1:", "nothing after colon in version number")]
    [InlineData("1.0-", "revision number is empty")]
    [InlineData("-1", "version number is empty")]
    [InlineData("a1.0", "version number does not start with digit")]
    [InlineData("1.0_1", "invalid character in version number")]
    [InlineData("1.0-1_2", "invalid character in revision number")]
    public void Should_report_the_problems_dpkg_reports(string version, string? problem)
    {
        Assert.Equal(problem, DpkgVersionComparer.Dpkg.Problem(version));
        Assert.Equal(problem is null, DpkgVersionComparer.Dpkg.IsValid(version));
    }
}
