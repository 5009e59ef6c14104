using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>
/// The one place where a string read from an artifact (file name, os-release field, package field, passwd entry,
/// image config value, or an error message quoting any of them) is made safe for a terminal. A file named
/// "a\nb" must not fake a table row, "\e[31m" must not recolour the screen or worse (OSC 52 writes the clipboard),
/// and U+202E must not reverse what follows it. Such characters are shown as C-style escapes instead; a
/// backslash is doubled so that an escape in the output always means an escaped character.
/// </summary>
internal static class TerminalText
{
    /// <summary>Plain text with every control, line-breaking and bidi-control character escaped.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }

            if (!IsUnsafe(c) && !char.IsSurrogate(c))
            {
                sb.Append(c);
                continue;
            }

            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '\n' => sb.Append(@"\n"),
                '\r' => sb.Append(@"\r"),
                '\t' => sb.Append(@"\t"),
                '\a' => sb.Append(@"\a"),
                '\b' => sb.Append(@"\b"),
                '\f' => sb.Append(@"\f"),
                '\v' => sb.Append(@"\v"),
                '\u001b' => sb.Append(@"\e"),
                < '\u0100' => sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
            };
        }

        return sb.ToString();
    }

    /// <summary>Escaped as <see cref="Escape"/>, then Spectre.Console markup (`[`, `]`) escaped: for table cells and titles.</summary>
    public static string Cell(string? text) => Markup.Escape(Escape(text));

    /// <summary>
    /// C0 controls (incl. CR, LF, TAB, BEL, ESC), DEL, C1 controls (U+0080-009F: a terminal may read U+009B as CSI),
    /// the bidi marks, embeddings, overrides and isolates (U+061C, U+200E-200F, U+202A-202E, U+2066-2069; the
    /// "Trojan Source" characters, CVE-2021-42574), the line and paragraph separators U+2028-2029, lone surrogates,
    /// and the backslash that introduces our escapes.
    /// </summary>
    internal static bool IsUnsafe(char c) => c switch
    {
        < ' ' or '\\' or (>= '\u007f' and <= '\u009f') => true,
        '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029' => true,
        _ => false,
    };

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsUnsafe(c))
            {
                return i;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }
}
