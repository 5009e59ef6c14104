using System.Text;

namespace Footprint.Formats.Boot;

/// <summary>
/// Splits a GRUB 2 script into tokens as GRUB's lexer does (GRUB manual, "Shell-like scripting"): words separated by
/// blanks, <c>'...'</c> literal, <c>"..."</c> with <c>\</c> escapes, <c>\</c> escaping one character (a newline: a line
/// continuation), <c>#</c> starting a comment at a word's start, newline and <c>;</c> ending a command, <c>{</c> and
/// <c>}</c> at a word's start as braces. Variables (<c>$x</c>, <c>${x}</c>) are kept as written: nothing is evaluated.
/// </summary>
internal static class GrubLexer
{
    public static List<GrubToken> Tokens(string file, string text)
    {
        if (text.Length > BootConfigLimits.MaxConfigChars)
        {
            throw new FootprintFormatException(file, BootConfigLimits.MaxConfigChars, $"configuration over {BootConfigLimits.MaxConfigChars} characters");
        }

        var tokens = new List<GrubToken>();
        var word = new StringBuilder();
        var i = 0;
        var lineStart = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (i - lineStart > BootConfigLimits.MaxLineChars)
                {
                    throw new FootprintFormatException(file, lineStart, $"line over {BootConfigLimits.MaxLineChars} characters");
                }

                tokens.Add(new GrubToken(GrubTokenKind.Separator, "\n", i++));
                lineStart = i;
                continue;
            }

            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            if (c == ';')
            {
                tokens.Add(new GrubToken(GrubTokenKind.Separator, ";", i++));
                continue;
            }

            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c is '{' or '}')
            {
                tokens.Add(new GrubToken(c == '{' ? GrubTokenKind.Open : GrubTokenKind.Close, c.ToString(), i++));
                continue;
            }

            var start = i;
            word.Clear();
            while (i < text.Length && text[i] is not (' ' or '\t' or '\r' or '\n' or ';'))
            {
                c = text[i];
                if (word.Length > BootConfigLimits.MaxLineChars)
                {
                    throw new FootprintFormatException(file, start, $"word over {BootConfigLimits.MaxLineChars} characters");
                }

                if (c == '\\')
                {
                    if (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        word.Append(text[i + 1]);
                    }

                    i += 2;
                    continue;
                }

                if (c is '\'' or '"')
                {
                    var close = Quoted(file, text, i, word);
                    i = close + 1;
                    continue;
                }

                word.Append(c);
                i++;
            }

            tokens.Add(new GrubToken(GrubTokenKind.Word, word.ToString(), start));
        }

        if (i - lineStart > BootConfigLimits.MaxLineChars)
        {
            throw new FootprintFormatException(file, lineStart, $"line over {BootConfigLimits.MaxLineChars} characters");
        }

        return tokens;
    }

    /// <summary>Appends a quoted string's text to <paramref name="word"/>; returns the offset of the closing quote.</summary>
    private static int Quoted(string file, string text, int open, StringBuilder word)
    {
        var quote = text[open];
        var i = open + 1;
        while (i < text.Length && text[i] != quote)
        {
            if (word.Length > BootConfigLimits.MaxLineChars)
            {
                throw new FootprintFormatException(file, open, $"quoted string over {BootConfigLimits.MaxLineChars} characters");
            }

            if (quote == '"' && text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '"' or '\\' or '\n')
            {
                if (text[i + 1] != '\n')
                {
                    word.Append(text[i + 1]);
                }

                i += 2;
                continue;
            }

            word.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new FootprintFormatException(file, open, $"unterminated {quote} quote");
        }

        return i;
    }
}
