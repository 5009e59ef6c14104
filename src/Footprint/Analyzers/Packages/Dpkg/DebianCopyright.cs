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
    /// <summary>
    /// As <see cref="Licenses(string)"/> on the file's UTF-8 (invalid bytes read as U+FFFD), decoding only the
    /// "License:" lines: a host's copyright files are 21 MB, mostly license text (Boost's are 2 MB each), and decoding
    /// all of it showed in profiles. A "\n" byte is never inside a UTF-8 sequence, so the lines are the text's lines.
    /// </summary>
    public static IReadOnlyList<string> Licenses(ReadOnlySpan<byte> utf8)
    {
        var names = new List<string>();
        var fields = 0;
        var rest = utf8;
        while (!rest.IsEmpty)
        {
            var line = DatabaseText.NextLine(ref rest);

            if (line.Length <= 8)
            {
                // At most 8 bytes are at most 8 characters: no field with a value.
                continue;
            }

            if (System.Text.Ascii.IsValid(line[..8]))
            {
                // An ASCII head is the same 8 characters decoded; the rest decodes on its own (it starts a character).
                if (System.Text.Ascii.EqualsIgnoreCase(line[..8], "License:"u8))
                {
                    fields++;
                    AddField(names, DatabaseText.Decode(line[8..]));
                }
            }
            else if (DatabaseText.Decode(line) is var decoded && decoded.Length > 8 && decoded.StartsWith("License:", StringComparison.OrdinalIgnoreCase))
            {
                // Not ASCII: compared as the text path compares it (ignoring case beyond ASCII).
                fields++;
                AddField(names, decoded.AsSpan(8));
            }
        }

        return fields > 0 ? names : CommonLicenses(names, DatabaseText.Decode(utf8));
    }

    public static IReadOnlyList<string> Licenses(string text)
    {
        var names = new List<string>();
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
                AddField(names, line[8..]);
            }
        }

        return fields > 0 ? names : CommonLicenses(names, text);
    }

    /// <summary>A "License:" field's value (after the colon): its own "and"/"or" as AND/OR, parenthesised when it has them.</summary>
    private static void AddField(List<string> names, ReadOnlySpan<char> field)
    {
        var value = Operator().Replace(field.Trim().ToString(), m => " " + m.Groups[1].Value.ToUpperInvariant() + " ");
        Add(names, value.Contains(" AND ", StringComparison.Ordinal) || value.Contains(" OR ", StringComparison.Ordinal) ? "(" + value + ")" : value);
    }

    /// <summary>Free-form files: the names of the texts in /usr/share/common-licenses they point at.</summary>
    private static List<string> CommonLicenses(List<string> names, string text)
    {
        foreach (Match m in CommonLicense().Matches(text))
        {
            Add(names, m.Groups[1].Value.TrimEnd('.', ','));
        }

        return names;
    }

    /// <summary>Names kept trimmed, up to 200 characters, each once in order of first appearance.</summary>
    private static void Add(List<string> names, string name)
    {
        name = name.Trim();
        if (name.Length > 0 && name.Length <= 200 && !names.Contains(name, StringComparer.Ordinal))
        {
            names.Add(name);
        }
    }

    [GeneratedRegex(@"\s+(and|or)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Operator();

    [GeneratedRegex(@"/usr/share/common-licenses/([A-Za-z0-9][A-Za-z0-9.+_-]*)")]
    private static partial Regex CommonLicense();
}
