using Footprint.Advisories.Versions;

namespace Footprint.Tests.Advisories.Versions;

/// <summary>
/// apk's order against the upstream vectors of each apk-tools generation and the 13,979 pairs OSV ordered with the
/// real `apk version -t` of Alpine 3.10 (apk-tools 2.10). Every pair where the generations disagree is listed here,
/// exactly; nothing is skipped.
/// </summary>
public sealed class ApkVersionComparerTests
{
    private static readonly ApkVersionComparer[] Dialects = [ApkVersionComparer.Apk2_10, ApkVersionComparer.Apk2_14, ApkVersionComparer.Apk3];

    private static List<string> Failures(ApkVersionComparer comparer, IEnumerable<VersionVectors.Pair> pairs)
        => pairs.Where(p => !Holds(comparer, p)).Select(p => p.ToString()).ToList();

    /// <summary>apk's operators: &lt; &gt; = and ~ (fuzzy), combined; '!' negates (apk 3's test file uses !~).</summary>
    private static bool Holds(ApkVersionComparer comparer, VersionVectors.Pair pair)
    {
        var op = pair.Operator;
        var negate = op.StartsWith('!');
        var fuzzy = op.Contains('~');
        var order = fuzzy ? comparer.CompareFuzzy(pair.A, pair.B) : comparer.Compare(pair.A, pair.B);
        var holds = (order < 0 && op.Contains('<')) || (order > 0 && op.Contains('>')) || (order == 0 && (op.Contains('=') || fuzzy));
        return holds != negate;
    }

    private static void AssertNoFailures(ApkVersionComparer comparer, string file, int minimumPairs)
    {
        var pairs = VersionVectors.OperatorPairs(file);
        Assert.True(pairs.Count >= minimumPairs, $"only {pairs.Count} pairs read from {file}");
        var failures = Failures(comparer, pairs);
        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} fail under {comparer.Dialect}:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("apk-version-2.10.8.data", 720)]
    [InlineData("osv-alpine-versions-generated.txt", 13979)]
    public void Should_order_every_pair_like_apk_tools_2_10(string file, int pairs)
        => AssertNoFailures(ApkVersionComparer.Apk2_10, file, pairs);

    [Fact]
    public void Should_order_every_pair_like_apk_tools_2_14()
        => AssertNoFailures(ApkVersionComparer.Apk2_14, "apk-version-2.14.9.data", 725);

    [Fact]
    public void Should_order_every_pair_like_apk_tools_3()
        => AssertNoFailures(ApkVersionComparer.Apk3, "apk-version.data", 745);

    [Fact]
    public void Should_validate_every_version_like_apk_tools_3()
    {
        var lines = VersionVectors.ValidityLines("apk-version.data");
        Assert.Equal(31, lines.Count);
        var failures = lines.Where(l => ApkVersionComparer.Apk3.IsValid(l.Version) != l.Valid).Select(l => $"{l.File}:{l.Line}: '{l.Version}' valid={l.Valid}");
        Assert.Empty(failures);
    }

    [Fact]
    public void Should_keep_the_older_vectors_under_the_newer_dialects()
    {
        // Each generation's own file passes; 2.14 and 3 also pass everything 2.10 shipped, and 3 everything 2.14 shipped.
        AssertNoFailures(ApkVersionComparer.Apk2_14, "apk-version-2.10.8.data", 720);
        AssertNoFailures(ApkVersionComparer.Apk3, "apk-version-2.10.8.data", 720);
        AssertNoFailures(ApkVersionComparer.Apk3, "apk-version-2.14.9.data", 725);
    }

    [Fact]
    public void Should_list_where_apk_tools_2_10_diverges_from_the_newer_vectors()
    {
        // Signed 32-bit overflow (20191002222144 wraps) and the old leading-zero rule (6.0_pre1 after 6.0).
        Assert.Equal(
            ["apk-version-2.14.9.data:729: 1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0", "apk-version-2.14.9.data:730: 6.0_pre1 < 6.0"],
            Failures(ApkVersionComparer.Apk2_10, VersionVectors.OperatorPairs("apk-version-2.14.9.data")));
        Assert.Equal(
            [
                "apk-version.data:729: 1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0",
                "apk-version.data:730: 6.0_pre1 < 6.0",
                "apk-version.data:734: 8.2.0 < 8.2.001", // leading zeros: 2.10 counts them, 2.14 and 3 sort the component as a string
                "apk-version.data:735: 8.2.0015 < 8.2.002",
                "apk-version.data:737: 1.0~1234 < 1.0~2345", // apk 3's ~hash: invalid, and so equal, before
                "apk-version.data:738: 1.0~1234-r1 < 1.0~2345-r0",
                "apk-version.data:739: 1.0~1234-r1 > 1.0~1234-r0",
                "apk-version.data:751: 3.8 !~ 3.8.1", // 2.10's fuzzy match accepts a common prefix on either side
            ],
            Failures(ApkVersionComparer.Apk2_10, VersionVectors.OperatorPairs("apk-version.data")));
        Assert.Equal(
            ["0.1_pre2~1234abcd", "", "0.1a1", "0.1-r", "0.1-r2-r3", ".1", "a", "_pre1", "-r1", "0.1_"],
            ValidityDisagreements(ApkVersionComparer.Apk2_10));
    }

    [Fact]
    public void Should_list_where_apk_tools_2_14_diverges_from_apk_tools_3()
    {
        Assert.Equal(
            ["apk-version.data:737: 1.0~1234 < 1.0~2345", "apk-version.data:738: 1.0~1234-r1 < 1.0~2345-r0", "apk-version.data:739: 1.0~1234-r1 > 1.0~1234-r0"],
            Failures(ApkVersionComparer.Apk2_14, VersionVectors.OperatorPairs("apk-version.data")));
        // The commit hash is new; an empty revision number and an empty suffix were accepted by 2.14.
        Assert.Equal(["0.1_pre2~1234abcd", "0.1-r", "0.1_", "0.1_-r0", "0.1__alpha", "0.1_1_alpha"], ValidityDisagreements(ApkVersionComparer.Apk2_14));
    }

    private static List<string> ValidityDisagreements(ApkVersionComparer comparer)
        => VersionVectors.ValidityLines("apk-version.data").Where(l => comparer.IsValid(l.Version) != l.Valid).Select(l => l.Version).ToList();

    /// <summary>
    /// 2.10 reads a letter followed by digits ("1.9.5p1") as letter plus another number; 2.12 and later stop there as
    /// invalid, so every pair that differs only after the letter compares equal. These are the 32 pairs of OSV's file,
    /// which the README of the corpus flags.
    /// </summary>
    [Fact]
    public void Should_list_the_letter_digit_pairs_where_apk_tools_2_14_and_3_diverge_from_2_10()
    {
        string[] expected =
        [
            "6912: 1.9.5p1-r1 < 1.9.5p2-r1", "12657: 5.7.1p1-r0 < 5.7.1p1-r1", "12658: 5.7.1p1-r1 < 5.7.1p1-r2", "12661: 5.7.3p1-r0 < 5.7.3p1-r1",
            "12662: 5.7.3p1-r1 < 5.7.3p2-r0", "12663: 5.7.3p2-r0 < 5.7.3p2-r1", "12665: 5.9.2p1-r0 < 5.9.2p1-r1", "12666: 5.9.2p1-r1 < 5.9.2p1-r2",
            "12667: 5.9.2p1-r2 < 5.9.2p1-r3", "12669: 6.0.2p1-r0 < 6.0.2p1-r1", "12670: 6.0.2p1-r1 < 6.0.2p1-r2", "12671: 6.0.2p1-r2 < 6.0.2p1-r3",
            "12672: 6.0.2p1-r3 < 6.0.2p1-r4", "12673: 6.0.2p1-r4 < 6.0.2p1-r5", "12674: 6.0.2p1-r5 < 6.0.2p1-r6", "12675: 6.0.2p1-r6 < 6.0.2p1-r7",
            "12676: 6.0.2p1-r7 < 6.0.2p1-r8", "12678: 6.0.3p1-r0 < 6.0.3p1-r1", "12679: 6.0.3p1-r1 < 6.0.3p1-r2", "12680: 6.0.3p1-r2 < 6.0.3p1-r3",
            "12681: 6.0.3p1-r3 < 6.0.3p1-r4", "12683: 6.4.2p1-r0 < 6.4.2p1-r1", "12684: 6.4.2p1-r1 < 6.4.2p1-r2", "12686: 6.6.1p1-r0 < 6.6.1p1-r1",
            "12687: 6.6.1p1-r1 < 6.6.1p1-r2", "12688: 6.6.1p1-r2 < 6.6.1p1-r3", "12690: 6.6.2p1-r0 < 6.6.2p1-r2", "12692: 6.6.3p1-r0 < 6.6.3p1-r1",
            "12694: 6.6.4p1-r0 < 6.6.4p1-r1", "13398: 3.3.3p1-r0 < 3.3.3p1-r1", "13399: 3.3.3p1-r1 < 3.3.3p1-r2", "13400: 3.3.3p1-r2 < 3.3.3p1-r4",
        ];
        var pairs = VersionVectors.OperatorPairs("osv-alpine-versions-generated.txt");
        foreach (var comparer in new[] { ApkVersionComparer.Apk2_14, ApkVersionComparer.Apk3 })
        {
            var failures = pairs.Where(p => !Holds(comparer, p)).ToList();
            Assert.Equal(expected, failures.Select(p => $"{p.Line}: {p.A} {p.Operator} {p.B}"));
            Assert.All(failures, p =>
            {
                Assert.Equal(0, comparer.Compare(p.A, p.B));
                Assert.False(comparer.IsValid(p.A) && comparer.IsValid(p.B));
            });
        }
    }

    /// <summary>
    /// OSV's hand-written file mixes generations: its comments mark pairs where "latest apk" (3) and Alpine 3.x's apk
    /// (2.x) differ, and it keeps some of OSV's own choices for invalid versions. No dialect passes all of it; these are
    /// the exact lines each one orders differently.
    /// </summary>
    [Fact]
    public void Should_list_where_each_dialect_disagrees_with_the_hand_written_osv_pairs()
    {
        var pairs = VersionVectors.OperatorPairs("osv-alpine-versions.txt");
        Assert.Equal(778, pairs.Count);
        int[] lines(ApkVersionComparer c) => pairs.Where(p => !Holds(c, p)).Select(p => p.Line).ToArray();

        // 4, 5, 27, 28, 40, 47: commented in the file as 3.x behaviour; 15, 24: '.r1' against 'r2'; 800: 32-bit overflow.
        Assert.Equal([4, 5, 15, 24, 27, 28, 40, 47, 800], lines(ApkVersionComparer.Apk2_10));
        // Letter+digit and empty-number versions are invalid from 2.12 on (equal to each other); 40 and 47 are commented as 3's.
        Assert.Equal([15, 18, 19, 22, 24, 34, 40, 47, 64, 65, 66], lines(ApkVersionComparer.Apk2_14));
        // apk 3 also rejects empty numbers (1-r, 0..8): those become invalid and compare equal.
        Assert.Equal([2, 16, 17, 18, 19, 21, 22, 34, 43, 64, 65, 66], lines(ApkVersionComparer.Apk3));
    }

    [Theory]
    [InlineData("1.2.3-r4", true)]
    [InlineData("1.2.3_rc1_p2-r0", true)]
    [InlineData("1.0-r", true)] // empty revision: 2.14 reads 0
    [InlineData("1.0bc", false)]
    [InlineData("1.0_foo", false)]
    [InlineData("", false)]
    [InlineData("1.0-r1-r2", false)]
    [InlineData("1.0A", false)]
    public void Should_report_validity_like_apk_tools_2_14(string version, bool valid)
    {
        Assert.Equal(valid, ApkVersionComparer.Apk2_14.IsValid(version));
        Assert.Equal(valid, ApkVersionComparer.Apk2_14.Problem(version) is null);
    }

    [Fact]
    public void Should_compare_huge_and_hostile_strings_without_throwing()
    {
        string[] inputs = [new string('9', 5000), "1." + new string('0', 5000) + "1", new string('_', 300), "\0", "1\0", "1.2\u00e9", "-", "~", "1~", "1-r" + new string('9', 40)];
        foreach (var dialect in Dialects)
        {
            foreach (var a in inputs)
            {
                foreach (var b in inputs)
                {
                    var ab = dialect.Compare(a, b);
                    Assert.Equal(-ab, dialect.Compare(b, a));
                }

                Assert.Equal(0, dialect.Compare(a, a));
                _ = dialect.Problem(a);
            }
        }
    }
}
