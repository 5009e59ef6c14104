using System.Globalization;
using System.Text;

namespace Footprint.Reports.Html;

/// <summary>
/// HTML encoding of every string that may come from the artifact (paths, package names, versions, warnings): the
/// five markup characters become entities, so a file named <c>&lt;script&gt;</c> or <c>" onload="</c> is text in
/// an element or in a double-quoted attribute, never markup. Characters that could disguise text are made visible
/// as <c>\u{202E}</c>: C0 and C1 controls, DEL, the bidirectional formatting characters (an RTL override turns
/// <c>gpj.exe</c> into <c>exe.jpg</c> on screen) and the line separators; a lone surrogate becomes U+FFFD.
/// </summary>
public static class HtmlText
{
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 16);
        Append(sb, text);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }

            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        sb.Append('\uFFFD');
                    }
                    else if (IsDisguising(c))
                    {
                        sb.Append("\\u{").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }

    /// <summary>At most <paramref name="maxChars"/> characters of <paramref name="text"/>, never splitting a surrogate pair, with "…" when cut.</summary>
    public static string Shorten(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        if (maxChars <= 1)
        {
            return "";
        }

        var cut = maxChars - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }

    private static bool IsDisguising(char c)
        => c < 0x20 || c is >= '\u007F' and <= '\u009F'
            || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
