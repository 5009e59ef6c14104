namespace Footprint.Advisories.Versions;

/// <summary>An rpm EVR split the way rpm's parseEVR splits it, and rpmvercmp on its parts.</summary>
internal readonly ref struct RpmVersion
{
    private RpmVersion(ReadOnlySpan<char> epoch, ReadOnlySpan<char> version, ReadOnlySpan<char> release, bool hasRelease)
    {
        Epoch = epoch;
        Version = version;
        Release = release;
        HasRelease = hasRelease;
    }

    public ReadOnlySpan<char> Epoch { get; }

    public ReadOnlySpan<char> Version { get; }

    public ReadOnlySpan<char> Release { get; }

    public bool HasRelease { get; }

    /// <summary>
    /// The epoch is the leading digits when a ':' follows them (":1.0" has epoch 0; "1.m+e2:1" has none), the
    /// release is what follows the last '-' after it.
    /// </summary>
    public static RpmVersion Split(string evr)
    {
        ReadOnlySpan<char> s = evr;
        int digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        ReadOnlySpan<char> epoch = default;
        if (digits < s.Length && s[digits] == ':')
        {
            epoch = s[..digits];
            s = s[(digits + 1)..];
        }

        int hyphen = s.LastIndexOf('-');
        return hyphen >= 0 ? new RpmVersion(epoch, s[..hyphen], s[(hyphen + 1)..], true) : new RpmVersion(epoch, s, default, false);
    }

    public static string? Problem(string evr)
    {
        if (evr.Length == 0)
        {
            return "version is empty";
        }

        var parts = Split(evr);
        if (parts.Version.IsEmpty)
        {
            return "version part is empty";
        }

        if (parts.HasRelease && parts.Release.IsEmpty)
        {
            return "release part is empty";
        }

        foreach (var part in new[] { parts.Version.ToString(), parts.Release.ToString() })
        {
            foreach (char c in part)
            {
                if (!char.IsAsciiLetterOrDigit(c) && "._+~^".IndexOf(c) < 0)
                {
                    return $"invalid character '{(char.IsControl(c) ? '?' : c)}' in version";
                }
            }
        }

        return null;
    }

    /// <summary>rpmvercmp: -1, 0 or 1.</summary>
    public static int CompareSegments(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b))
        {
            return 0;
        }

        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && IsSeparator(a[i]))
            {
                i++;
            }

            while (j < b.Length && IsSeparator(b[j]))
            {
                j++;
            }

            // '~' sorts before everything, the end of the string included.
            bool tildeA = i < a.Length && a[i] == '~', tildeB = j < b.Length && b[j] == '~';
            if (tildeA || tildeB)
            {
                if (!tildeA)
                {
                    return 1;
                }

                if (!tildeB)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            // '^' sorts after the end of the string but before any other segment.
            bool caretA = i < a.Length && a[i] == '^', caretB = j < b.Length && b[j] == '^';
            if (caretA || caretB)
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                if (!caretA)
                {
                    return 1;
                }

                if (!caretB)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length)
            {
                break;
            }

            bool numeric = char.IsAsciiDigit(a[i]);
            int startA = i, startB = j;
            while (i < a.Length && (numeric ? char.IsAsciiDigit(a[i]) : char.IsAsciiLetter(a[i])))
            {
                i++;
            }

            while (j < b.Length && (numeric ? char.IsAsciiDigit(b[j]) : char.IsAsciiLetter(b[j])))
            {
                j++;
            }

            // A run of the other kind on b's side: a number is newer than letters.
            if (j == startB)
            {
                return numeric ? 1 : -1;
            }

            var segmentA = a[startA..i];
            var segmentB = b[startB..j];
            if (numeric)
            {
                segmentA = segmentA.TrimStart('0');
                segmentB = segmentB.TrimStart('0');
                if (segmentA.Length != segmentB.Length)
                {
                    return segmentA.Length > segmentB.Length ? 1 : -1;
                }
            }

            int order = segmentA.SequenceCompareTo(segmentB);
            if (order != 0)
            {
                return order < 0 ? -1 : 1;
            }
        }

        if (i >= a.Length && j >= b.Length)
        {
            return 0;
        }

        return i >= a.Length ? -1 : 1;
    }

    /// <summary>rpm skips everything that is not an ASCII letter or digit, '~' or '^'.</summary>
    private static bool IsSeparator(char c) => !char.IsAsciiLetterOrDigit(c) && c != '~' && c != '^';
}
