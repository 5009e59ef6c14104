namespace Footprint.Advisories.Versions;

/// <summary>
/// Where the apk-tools generations disagree, in words; ApkVersionComparerTests pins the exact pairs for each line.
/// Source: apk-tools src/version.c at v2.10.8, v2.14.9 and master, and the test vectors each ships
/// (../shared/corpus/version-vectors/apk-version*.data), plus OSV's pairs ordered by the real apk of Alpine 3.10.
/// </summary>
public static class ApkDialectDifferences
{
    /// <summary>apk-tools 2.10 versus 2.14.</summary>
    public static readonly IReadOnlyList<string> From2_10To2_14 =
    [
        "Leading zeros after a dot: 2.10 scores the run of zeros as minus its length and reads the digits after it as a new "
            + "component (6.0_pre1 > 6.0, 8.2.0 > 8.2.001); 2.14 sorts such a component as a string (6.0_pre1 < 6.0, 8.2.0 < 8.2.001).",
        "Numbers: 2.10 accumulates in a signed 32-bit integer that wraps (1.0.0_pre20191002222144 > 1.0.0_pre20210530193627); "
            + "2.14 uses 64-bit unsigned numbers.",
        "A letter followed by digits (1.9.5p1): 2.10 reads another number after the letter; 2.14 stops there as invalid, so "
            + "1.9.5p1-r1 and 1.9.5p2-r1 compare equal (the 32 'p1' pairs of OSV's generated file).",
        "An invalid tail: 2.10 sorts the version it stops in as the greater (1.2.0A > 1.2.0d), 2.14 as the smaller.",
        "Validity: 2.10 accepts the empty string, a letter with digits after it (0.1a1), a second revision (0.1-r2-r3), a "
            + "leading dot or letter (.1, a) and a leading suffix or revision (_pre1, -r1); 2.14 rejects them.",
        "Fuzzy match '~': 2.10 accepts a common prefix on either side (3.8 ~ 3.8.1); 2.14 only a prefix that is the right-hand version.",
    ];

    /// <summary>apk-tools 2.14 versus 3.</summary>
    public static readonly IReadOnlyList<string> From2_14To3 =
    [
        "apk 3 adds the commit-hash component '~hex' between the suffixes and the revision (1.0~1234-r1); 2.14 treats '~' as invalid.",
        "apk 3 rejects an empty number: '-r' with no digits (1-r), a dot with no digits (0..8); 2.14 reads them as 0.",
        "apk 3 rejects an empty suffix '_' (0.1_, 0.1_-r0, 0.1__alpha); 2.14 reads it as 'no suffix'.",
    ];
}
