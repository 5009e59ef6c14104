namespace Footprint.Advisories.Versions;

/// <summary>The three parts of a Debian version, as dpkg's parseversion splits them (lib/dpkg/parse.c).</summary>
internal readonly ref struct DpkgVersion
{
    private DpkgVersion(ReadOnlySpan<char> epoch, ReadOnlySpan<char> upstream, ReadOnlySpan<char> revision)
    {
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    /// <summary>The digits before the first ':', empty when there is none (epoch 0).</summary>
    public ReadOnlySpan<char> Epoch { get; }

    public ReadOnlySpan<char> Upstream { get; }

    /// <summary>After the last '-', empty when there is none (which compares like "0").</summary>
    public ReadOnlySpan<char> Revision { get; }

    /// <summary>
    /// Splits without judging: surrounding whitespace is dropped, the epoch is everything before the first ':', the
    /// revision everything after the last '-'. A non-numeric epoch is kept as text; <see cref="Problem"/> rejects it.
    /// </summary>
    public static DpkgVersion Split(string version)
    {
        ReadOnlySpan<char> s = version.AsSpan().Trim(" \t\n\r\v\f");
        ReadOnlySpan<char> epoch = default;
        int colon = s.IndexOf(':');
        if (colon >= 0)
        {
            epoch = s[..colon];
            s = s[(colon + 1)..];
        }

        int hyphen = s.LastIndexOf('-');
        return hyphen >= 0 ? new DpkgVersion(epoch, s[..hyphen], s[(hyphen + 1)..]) : new DpkgVersion(epoch, s, default);
    }

    /// <summary>dpkg's parseversion errors and warnings, in its order; null for a valid version.</summary>
    public static string? Problem(string version)
    {
        ReadOnlySpan<char> s = version.AsSpan().Trim(" \t\n\r\v\f");
        if (s.IsEmpty)
        {
            return "version string is empty";
        }

        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                return "version string has embedded spaces";
            }
        }

        int colon = s.IndexOf(':');
        if (colon >= 0)
        {
            var epoch = s[..colon];
            if (epoch.IsEmpty)
            {
                return "epoch in version is empty";
            }

            foreach (char c in epoch)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return "epoch in version is not number";
                }
            }

            // dpkg reads the epoch with strtol and refuses anything above INT_MAX.
            var digits = epoch.TrimStart('0');
            if (digits.Length > 10 || (digits.Length == 10 && digits.SequenceCompareTo("2147483647") > 0))
            {
                return "epoch in version is too big";
            }

            if (colon + 1 == s.Length)
            {
                return "nothing after colon in version number";
            }
        }

        var parts = Split(version);
        if (s.LastIndexOf('-') >= 0 && parts.Revision.IsEmpty)
        {
            return "revision number is empty";
        }

        if (parts.Upstream.IsEmpty)
        {
            return "version number is empty";
        }

        if (!char.IsAsciiDigit(parts.Upstream[0]))
        {
            return "version number does not start with digit";
        }

        foreach (char c in parts.Upstream)
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".-+~:".IndexOf(c) < 0)
            {
                return "invalid character in version number";
            }
        }

        foreach (char c in parts.Revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".+~".IndexOf(c) < 0)
            {
                return "invalid character in revision number";
            }
        }

        return null;
    }
}
