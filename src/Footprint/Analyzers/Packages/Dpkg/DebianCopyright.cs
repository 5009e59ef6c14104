using System.Text.RegularExpressions;

namespace Footprint.Analyzers.Packages.Dpkg;

/// <summary>
/// Licenses a Debian package declares in /usr/share/doc/NAME/copyright. dpkg's status has no license field; the
/// copyright file is where Debian policy (§12.5) puts it. Machine-readable files (DEP-5, "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
/// name each license in "License:" fields: the first line of each is the short name ("GPL-2+", "Expat",
/// "GPL-3+ with Bison exception"). Older free-form files instead point at the text Debian ships once, as
/// "/usr/share/common-licenses/GPL-2": those names are taken. Names are kept as written (Debian's short names,
/// mostly but not always SPDX ids), deduplicated in order of first appearance; a field's own "and"/"or" become
/// AND/OR and the field is parenthesised (DEP-5 §7: "GPL-2+ or Artistic" is a choice, not two licenses).
/// </summary>
public static partial class DebianCopyright
{
    public static IReadOnlyList<string> Licenses(string text)
    {
        var names = new List<string>();
        void Add(string name)
        {
            name = name.Trim();
            if (name.Length > 0 && name.Length <= 200 && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        var fields = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            // In place: most lines are license text, and a string for each showed in profiles of a cached image (90
            // files, megabytes of text).
            var line = DatabaseText.NextLine(ref rest);

            // A field starts at column 0; continuation lines (the license text) start with a space or tab.
            if (line.Length > 8 && line.StartsWith("License:", StringComparison.OrdinalIgnoreCase))
            {
                fields++;
                var value = Operator().Replace(line[8..].Trim().ToString(), m => " " + m.Groups[1].Value.ToUpperInvariant() + " ");
                Add(value.Contains(" AND ", StringComparison.Ordinal) || value.Contains(" OR ", StringComparison.Ordinal) ? "(" + value + ")" : value);
            }
        }

        if (fields > 0)
        {
            return names;
        }

        foreach (Match m in CommonLicense().Matches(text))
        {
            Add(m.Groups[1].Value.TrimEnd('.', ','));
        }

        return names;
    }

    [GeneratedRegex(@"\s+(and|or)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Operator();

    [GeneratedRegex(@"/usr/share/common-licenses/([A-Za-z0-9][A-Za-z0-9.+_-]*)")]
    private static partial Regex CommonLicense();
}
