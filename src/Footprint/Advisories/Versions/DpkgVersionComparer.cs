namespace Footprint.Advisories.Versions;

/// <summary>
/// Debian's version order, deb-version(7) and Debian policy 5.6.12: <c>[epoch:]upstream[-revision]</c>, the epoch
/// compared as a number, then upstream and revision by the same rule (non-digit runs by a modified ASCII order in
/// which '~' sorts before everything, even the end, and letters before other characters; digit runs as numbers).
/// opkg uses the same algorithm, so <see cref="Opkg"/> is this comparer under another ecosystem name. Validity
/// follows dpkg's parseversion, with its warnings counted as invalid (as Dpkg::Version's is_valid does).
/// </summary>
public sealed class DpkgVersionComparer : IVersionComparer
{
    public static readonly DpkgVersionComparer Dpkg = new(VersionEcosystem.Dpkg);
    public static readonly DpkgVersionComparer Opkg = new(VersionEcosystem.Opkg);

    private DpkgVersionComparer(VersionEcosystem ecosystem) => Ecosystem = ecosystem;

    public VersionEcosystem Ecosystem { get; }

    public int Compare(string a, string b)
    {
        var va = DpkgVersion.Split(a);
        var vb = DpkgVersion.Split(b);
        int order = CompareEpochs(va.Epoch, vb.Epoch);
        if (order != 0)
        {
            return order;
        }

        order = ComparePart(va.Upstream, vb.Upstream);
        return order != 0 ? order : ComparePart(va.Revision, vb.Revision);
    }

    public bool IsValid(string version) => Problem(version) is null;

    public string? Problem(string version) => DpkgVersion.Problem(version);

    /// <summary>Epochs as unbounded numbers: leading zeros skipped, then the longer digit run is the greater.</summary>
    private static int CompareEpochs(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? Math.Sign(a.Length - b.Length) : Math.Sign(a.SequenceCompareTo(b));
    }

    /// <summary>dpkg's verrevcmp: alternate non-digit and digit runs until one differs.</summary>
    internal static int ComparePart(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int ac = Weight(a, i), bc = Weight(b, j);
                if (ac != bc)
                {
                    return Math.Sign(ac - bc);
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            int firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0)
                {
                    firstDifference = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDifference != 0)
            {
                return Math.Sign(firstDifference);
            }
        }

        return 0;
    }

    /// <summary>
    /// The order of one character of a non-digit run: the end of the run (a digit or the end of the string) is 0,
    /// '~' is below it, letters are their ASCII value, and everything else sorts after all letters.
    /// </summary>
    private static int Weight(ReadOnlySpan<char> s, int index)
    {
        if (index >= s.Length || char.IsAsciiDigit(s[index]))
        {
            return 0;
        }

        char c = s[index];
        return c == '~' ? -1 : char.IsAsciiLetter(c) ? c : c + 256;
    }
}
