namespace Footprint.Advisories.Versions;

/// <summary>
/// apk's version order (Gentoo-derived: <c>1.2.3b_rc1_p2-r4</c>). The default follows apk-tools 2.14, which
/// Alpine 3.13 and later ship; <see cref="ApkDialect"/> picks 2.10 or 3 instead, and
/// <see cref="ApkDialectDifferences"/> lists where they disagree. Invalid versions still get apk's order (it sorts
/// them by where they stop parsing) and are reported by <see cref="Problem"/>.
/// </summary>
public sealed class ApkVersionComparer : IVersionComparer
{
    public static readonly ApkVersionComparer Apk2_10 = new(ApkDialect.Apk2_10);
    public static readonly ApkVersionComparer Apk2_14 = new(ApkDialect.Apk2_14);
    public static readonly ApkVersionComparer Apk3 = new(ApkDialect.Apk3);

    private ApkVersionComparer(ApkDialect dialect) => Dialect = dialect;

    public ApkDialect Dialect { get; }

    public VersionEcosystem Ecosystem => VersionEcosystem.Apk;

    public int Compare(string a, string b) => Compare(a, b, fuzzy: false);

    /// <summary>
    /// apk's fuzzy match ('~' in a dependency): 0 when <paramref name="b"/>'s components are a prefix of
    /// <paramref name="a"/>'s (3.6.9 ~ 3.6), otherwise the ordinary order.
    /// </summary>
    public int CompareFuzzy(string a, string b) => Compare(a, b, fuzzy: true);

    public bool IsValid(string version) => Problem(version) is null;

    public string? Problem(string version)
    {
        if (Dialect == ApkDialect.Apk2_10)
        {
            return ApkLegacyVersionOrder.IsValid(version) ? null : "not a valid apk version (apk-tools 2.10)";
        }

        var cursor = new ApkTokenCursor(version, Dialect);
        while (cursor.Token < ApkToken.End)
        {
            cursor.Next();
        }

        return cursor.Token == ApkToken.End ? null : $"not a valid apk version (apk-tools {(Dialect == ApkDialect.Apk3 ? "3" : "2.14")})";
    }

    private int Compare(string a, string b, bool fuzzy)
    {
        if (Dialect == ApkDialect.Apk2_10)
        {
            return ApkLegacyVersionOrder.Compare(a, b, fuzzy);
        }

        var ta = new ApkTokenCursor(a, Dialect);
        var tb = new ApkTokenCursor(b, Dialect);
        while (ta.Token == tb.Token && ta.Token < ApkToken.End)
        {
            int order = CompareComponent(ref ta, ref tb);
            if (order != 0)
            {
                return order;
            }

            ta.Next();
            tb.Next();
        }

        if (ta.Token == tb.Token || (fuzzy && tb.Token == ApkToken.End))
        {
            return 0;
        }

        // Equal so far: the version that goes on is the greater, unless it goes on with a pre-release suffix.
        if (ta.Token == ApkToken.Suffix && ta.Suffix < ApkSuffix.None)
        {
            return -1;
        }

        if (tb.Token == ApkToken.Suffix && tb.Suffix < ApkSuffix.None)
        {
            return 1;
        }

        return ta.Token > tb.Token ? -1 : tb.Token > ta.Token ? 1 : 0;
    }

    private static int CompareComponent(ref ApkTokenCursor a, ref ApkTokenCursor b)
    {
        switch (a.Token)
        {
            case ApkToken.Digit when StartsWithZero(a.Value) || StartsWithZero(b.Value):
                // A dotted component with a leading zero sorts as a string, as Gentoo's spec says (1.01 < 1.1).
                return Sign(a.Value.SequenceCompareTo(b.Value));
            case ApkToken.InitialDigit or ApkToken.Digit or ApkToken.SuffixNumber or ApkToken.Revision:
                return Sign(a.Number.CompareTo(b.Number));
            case ApkToken.Letter:
                return Sign(a.Value[0] - b.Value[0]);
            case ApkToken.Suffix:
                return Sign((int)a.Suffix - (int)b.Suffix);
            default:
                return Sign(a.Value.SequenceCompareTo(b.Value));
        }
    }

    private static bool StartsWithZero(ReadOnlySpan<char> value) => value.Length > 0 && value[0] == '0';

    private static int Sign(int value) => Math.Sign(value);
}
