namespace Footprint.Sources.Registry;

/// <summary>
/// One challenge of a WWW-Authenticate header (RFC 9110 section 11.6.1): a scheme and its auth-params, e.g.
/// <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"</c>
/// (distribution's token authentication spec). Parameter names are case-insensitive; values are tokens or quoted
/// strings with backslash escapes.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>A header value longer than this is refused (real ones are a few hundred bytes).</summary>
    public const int MaxHeaderLength = 8192;

    /// <summary>More challenges or parameters than this in one header are refused.</summary>
    public const int MaxItems = 32;

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every challenge in <paramref name="header"/>. Malformed text is a <see cref="FormatException"/> whose message
    /// quotes no part of the header (it is the server's, and may be hostile).
    /// </summary>
    public static IReadOnlyList<AuthChallenge> Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Length > MaxHeaderLength)
        {
            throw new FormatException($"WWW-Authenticate header of {header.Length} characters, more than the {MaxHeaderLength} accepted");
        }

        var result = new List<AuthChallenge>();
        var i = 0;
        SkipSpaceAndCommas(header, ref i);
        while (i < header.Length)
        {
            var scheme = Token(header, ref i);
            if (scheme.Length == 0)
            {
                throw new FormatException($"WWW-Authenticate: expected an auth scheme at character {i}");
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            SkipSpace(header, ref i);
            while (i < header.Length)
            {
                // A parameter is name=value; a bare token here starts the next challenge (or is a token68 credential).
                var start = i;
                var name = Token(header, ref i);
                SkipSpace(header, ref i);
                if (name.Length == 0 || i >= header.Length || header[i] != '=')
                {
                    i = start;
                    if (name.Length > 0 && parameters.Count == 0)
                    {
                        // token68 (e.g. "Negotiate abc=="): skip it, it is not used by registries.
                        Token68(header, ref i);
                    }

                    break;
                }

                i++;
                SkipSpace(header, ref i);
                var value = i < header.Length && header[i] == '"' ? Quoted(header, ref i) : Token(header, ref i);
                if (parameters.Count >= MaxItems)
                {
                    throw new FormatException($"WWW-Authenticate: more than {MaxItems} parameters");
                }

                parameters[name] = value;
                SkipSpace(header, ref i);
                if (i < header.Length && header[i] == ',')
                {
                    SkipSpaceAndCommas(header, ref i);
                    continue;
                }

                if (i < header.Length)
                {
                    throw new FormatException($"WWW-Authenticate: expected ',' at character {i}");
                }
            }

            if (result.Count >= MaxItems)
            {
                throw new FormatException($"WWW-Authenticate: more than {MaxItems} challenges");
            }

            result.Add(new AuthChallenge(scheme, parameters));
            SkipSpaceAndCommas(header, ref i);
        }

        return result;
    }

    private static string Token(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && IsTokenChar(s[i]))
        {
            i++;
        }

        return s[start..i];
    }

    private static void Token68(string s, ref int i)
    {
        while (i < s.Length && (IsTokenChar(s[i]) || s[i] == '=' || s[i] == '/'))
        {
            i++;
        }
    }

    private static string Quoted(string s, ref int i)
    {
        var value = new System.Text.StringBuilder();
        i++;
        while (i < s.Length)
        {
            var c = s[i++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (i >= s.Length)
                {
                    break;
                }

                c = s[i++];
            }

            value.Append(c);
        }

        throw new FormatException("WWW-Authenticate: unterminated quoted string");
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSpaceAndCommas(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    /// <summary>RFC 9110 tchar.</summary>
    private static bool IsTokenChar(char c)
        => char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
