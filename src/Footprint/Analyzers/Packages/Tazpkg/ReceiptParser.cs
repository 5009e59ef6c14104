using System.Text;

namespace Footprint.Analyzers.Packages.Tazpkg;

/// <summary>
/// Reads the variable assignments of a SliTaz receipt without running it. A receipt is a shell fragment
/// (tazpkg sources it): VAR="value", VAR='value' or VAR=word at the start of a line, values may span lines
/// inside quotes; functions (genpkg_rules() { ... }, post_install() { ... }) follow and are skipped.
/// Nothing is expanded: "$VERSION" stays as written.
/// </summary>
public static class ReceiptParser
{
    /// <summary>The variables, first assignment kept, each with the 1-based line it starts on; unterminated quotes become unknowns.</summary>
    public static Dictionary<string, (string Value, int Line)> Parse(string displayPath, string text, List<PackageUnknown> unknowns)
    {
        var variables = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var lines = DatabaseText.Lines(text).ToList();
        var depth = 0;
        var bodyNext = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var (number, raw) = lines[i];
            var line = raw.TrimStart();
            if (bodyNext && line.Length > 0 && line[0] != '{')
            {
                // "name()" not followed by a "{" line: not a function body we can skip by braces.
                bodyNext = false;
            }

            if (depth > 0 || bodyNext || IsFunctionStart(line))
            {
                // Brace counting is enough for receipts: their functions are plain blocks; quoted braces are rare
                // and at worst end the skip early, after which only NAME= lines at top level are read.
                // SliTaz writes the opening brace on the line after "genpkg_rules()", so it may come one line late.
                var opens = line.Count(c => c == '{');
                bodyNext = depth == 0 && opens == 0 && (bodyNext || IsFunctionStart(line));
                depth = Math.Max(0, depth + opens - line.Count(c => c == '}'));
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0 || !IsName(line.AsSpan(0, eq)))
            {
                continue;
            }

            var name = line[..eq];
            var rest = line[(eq + 1)..];
            string? value;
            if (rest.Length > 0 && rest[0] is '"' or '\'')
            {
                value = Quoted(rest, lines, ref i);
                if (value is null)
                {
                    unknowns.Add(new PackageUnknown(displayPath, number, $"{name}: quote not closed before the end of the receipt"));
                    break;
                }
            }
            else
            {
                var end = rest.IndexOfAny([' ', '\t', ';', '#']);
                value = end < 0 ? rest : rest[..end];
            }

            variables.TryAdd(name, (value, number));
        }

        return variables;
    }

    /// <summary>The quoted value starting at rest[0], continued over following lines; advances <paramref name="i"/> to its last line.</summary>
    private static string? Quoted(string rest, List<(int Number, string Text)> lines, ref int i)
    {
        var quote = rest[0];
        var sb = new StringBuilder();
        var text = rest[1..];
        while (true)
        {
            for (var k = 0; k < text.Length; k++)
            {
                var c = text[k];
                if (c == quote)
                {
                    return sb.ToString();
                }

                if (quote == '"' && c == '\\' && k + 1 < text.Length && text[k + 1] is '"' or '\\' or '$' or '`')
                {
                    sb.Append(text[++k]);
                    continue;
                }

                sb.Append(c);
            }

            if (++i >= lines.Count)
            {
                return null;
            }

            sb.Append('\n');
            text = lines[i].Text;
        }
    }

    private static bool IsFunctionStart(string line)
        => line.StartsWith("function ", StringComparison.Ordinal)
            || (line.IndexOf("()", StringComparison.Ordinal) is > 0 and var p && IsName(line.AsSpan(0, p).TrimEnd()));

    private static bool IsName(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || char.IsAsciiDigit(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
