namespace Footprint.Reports.Sbom;

/// <summary>
/// Syntax check of an SPDX license expression (SPDX 2.3 Annex D):
/// <c>compound = simple | simple WITH exception | compound AND compound | compound OR compound | ( compound )</c>,
/// <c>simple = idstring ["+"] | ["DocumentRef-" idstring ":"] "LicenseRef-" idstring</c>, idstring = [A-Za-z0-9.-]+.
/// Only the syntax is checked, not membership in the SPDX license list: "GPL2" passes, "GPL-2.0 BSD" (no operator) does not.
/// Operators are upper case, as the annex writes them.
/// </summary>
internal static class SpdxLicenseExpression
{
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var tokens = Tokenize(text);
        if (tokens is null)
        {
            return false;
        }

        var position = 0;
        return Compound(tokens, ref position) && position == tokens.Count;
    }

    private static List<string>? Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '-' or '+' or ':'))
                {
                    i++;
                }

                if (i == start)
                {
                    return null;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private static bool Compound(List<string> tokens, ref int position)
    {
        if (!Term(tokens, ref position))
        {
            return false;
        }

        while (position < tokens.Count && tokens[position] is "AND" or "OR")
        {
            position++;
            if (!Term(tokens, ref position))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Term(List<string> tokens, ref int position)
    {
        if (position < tokens.Count && tokens[position] == "(")
        {
            position++;
            if (!Compound(tokens, ref position) || position >= tokens.Count || tokens[position] != ")")
            {
                return false;
            }

            position++;
            return true;
        }

        if (!Simple(tokens, ref position, allowPlus: true))
        {
            return false;
        }

        if (position < tokens.Count && tokens[position] == "WITH")
        {
            position++;
            return Simple(tokens, ref position, allowPlus: false);
        }

        return true;
    }

    private static bool Simple(List<string> tokens, ref int position, bool allowPlus)
    {
        if (position >= tokens.Count)
        {
            return false;
        }

        var token = tokens[position];
        if (token is "AND" or "OR" or "WITH" or "(" or ")")
        {
            return false;
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        bool ok;
        if (colon >= 0)
        {
            // DocumentRef-x:LicenseRef-y
            ok = token.StartsWith("DocumentRef-", StringComparison.Ordinal) && IsIdString(token["DocumentRef-".Length..colon])
                && token[(colon + 1)..].StartsWith("LicenseRef-", StringComparison.Ordinal) && IsIdString(token[(colon + 1 + "LicenseRef-".Length)..]);
        }
        else
        {
            var id = allowPlus && token.EndsWith('+') ? token[..^1] : token;
            ok = IsIdString(id);
        }

        position++;
        return ok;
    }

    private static bool IsIdString(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
