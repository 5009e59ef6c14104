using System.Text.RegularExpressions;

namespace Footprint.Analyzers.Identity;

/// <summary>
/// The exact release and the codename, from the files each distribution writes them to. Several put a name where the
/// version belongs: OpenWrt 15.05.1 writes DISTRIB_RELEASE='Chaos Calmer' and keeps the number in
/// DISTRIB_DESCRIPTION ('OpenWrt Chaos Calmer 15.05.1') and /etc/openwrt_version ('15.05.1'); Debian's VERSION_ID is
/// "12" while /etc/debian_version says "12.7"; Ubuntu's exact point release is only in VERSION ("22.04.4 LTS (Jammy
/// Jellyfish)").
/// </summary>
internal static partial class ReleaseVersion
{
    /// <summary>True for "15.05.1", "12", "3.21.0_alpha20240923", "23.05-SNAPSHOT"; false for "Chaos Calmer", "trixie/sid", "r31467".</summary>
    public static bool IsNumeric(string? version) => version is { Length: > 0 } && char.IsAsciiDigit(version[0]);

    /// <summary>
    /// OpenWrt/LEDE: DISTRIB_RELEASE when it is a number; else the number in DISTRIB_DESCRIPTION, else /etc/openwrt_version
    /// when that is one (trunk builds write a revision, "r31467", there); else DISTRIB_RELEASE as written ("Bleeding Edge").
    /// </summary>
    public static string? OpenWrt(IReadOnlyDictionary<string, string> release, string? versionFile)
    {
        var written = release.GetValueOrDefault("DISTRIB_RELEASE");
        if (IsNumeric(written))
        {
            return written;
        }

        if (release.GetValueOrDefault("DISTRIB_DESCRIPTION") is { } description && DottedNumber().Match(description) is { Success: true } m)
        {
            return m.Value;
        }

        var file = versionFile?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return IsNumeric(file) && DottedNumber().IsMatch(file!) ? file : written;
    }

    /// <summary>OpenWrt/LEDE: DISTRIB_CODENAME ("chaos_calmer", "reboot"), else a name written as the release ("Chaos Calmer").</summary>
    public static string? OpenWrtCodename(IReadOnlyDictionary<string, string> release)
        => release.GetValueOrDefault("DISTRIB_CODENAME") is { Length: > 0 } codename ? codename
            : release.GetValueOrDefault("DISTRIB_RELEASE") is { Length: > 0 } written && !IsNumeric(written) && written != "Bleeding Edge" ? written
            : null;

    /// <summary>os-release VERSION_CODENAME ("bookworm"), else the name in VERSION's parentheses ("12 (bookworm)").</summary>
    public static string? OsReleaseCodename(IReadOnlyDictionary<string, string> osRelease)
    {
        if (osRelease.GetValueOrDefault("VERSION_CODENAME") is { Length: > 0 } codename)
        {
            return codename;
        }

        return osRelease.GetValueOrDefault("VERSION") is { } version && Parenthesised().Match(version) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>VERSION's first word when it is VERSION_ID made more exact: "22.04.4" from "22.04.4 LTS (Jammy Jellyfish)" and "22.04"; else null.</summary>
    public static string? FromVersionField(IReadOnlyDictionary<string, string> osRelease)
    {
        if (osRelease.GetValueOrDefault("VERSION") is not { Length: > 0 } version || osRelease.GetValueOrDefault("VERSION_ID") is not { Length: > 0 } id)
        {
            return null;
        }

        var first = version.Split(' ', 2)[0];
        return first.Length > id.Length && first.StartsWith(id + ".", StringComparison.Ordinal) ? first : null;
    }

    /// <summary>
    /// True when both name the same release at different precision: "12" and "12.7" agree, "3.8.0" and "3.8.5" do not.
    /// Case is ignored: OpenWrt 23.05 writes VERSION_ID="23.05-snapshot" and DISTRIB_RELEASE='23.05-SNAPSHOT'.
    /// </summary>
    public static bool Agree(string a, string b)
        => string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            || (a.Length < b.Length ? b.StartsWith(a + ".", StringComparison.OrdinalIgnoreCase) : a.StartsWith(b + ".", StringComparison.OrdinalIgnoreCase));

    /// <summary>A release number in free text: "15.05.1", "17.01.4", "21.02.0-rc1", "23.05-SNAPSHOT".</summary>
    [GeneratedRegex(@"(?<![\w.])\d+\.\d+(?:\.\d+)*(?:-rc\d+|-SNAPSHOT)?(?![\w.])")]
    private static partial Regex DottedNumber();

    [GeneratedRegex(@"\(([^()]+)\)")]
    private static partial Regex Parenthesised();
}
