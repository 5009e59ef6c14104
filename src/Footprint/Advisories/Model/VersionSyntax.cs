using System.Text.RegularExpressions;

namespace Footprint.Advisories.Model;

/// <summary>
/// A syntax check only (comparison is Advisories/Versions' job): a fixed version that fails it makes the record's
/// state <see cref="FixState.Unknown"/>, never a dropped record. The grammars follow apk-tools' version.c token
/// rules, deb-version(7) and rpm's EVR (epoch:version-release) loosely: they reject what no comparer can order
/// (empty strings, spaces, placeholders like "&lt;unfixed&gt;"), not every oddity the tools accept.
/// </summary>
public static partial class VersionSyntax
{
    private const int MaxVersionChars = 256;

    public static bool IsValid(VersionScheme scheme, string version)
    {
        if (version.Length is 0 or > MaxVersionChars)
        {
            return false;
        }

        return scheme switch
        {
            VersionScheme.Apk => Apk().IsMatch(version),
            VersionScheme.Dpkg => Dpkg().IsMatch(version),
            _ => Rpm().IsMatch(version),
        };
    }

    // apk: digits and dots, an optional letter, suffixes (_alpha.._p with a number), ~hash, -rN.
    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(~[0-9a-f]+)?(-r[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Apk();

    // dpkg: [epoch:]upstream[-revision]; upstream starts with a digit.
    [GeneratedRegex(@"^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*(-[A-Za-z0-9.+~]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dpkg();

    // rpm: [epoch:]version[-release], alphanumerics and ._+~^ inside.
    [GeneratedRegex(@"^([0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+~^]*(-[A-Za-z0-9._+~^]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rpm();
}
