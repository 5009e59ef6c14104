namespace Footprint.Advisories.Versions;

/// <summary>
/// apk-tools 2.10's version order (src/version.c at v2.10.8, get_token/next_token), kept for artifacts built with
/// Alpine 3.8 to 3.12 whose tools still sort this way. Each component is read into a signed 32-bit value that wraps;
/// a run of zeros after a dot is worth minus its length and the digits after it form a separate component; the
/// token types are ordered like <see cref="ApkToken"/> except that an invalid tail sorts first, so here it makes a
/// version the greater one.
/// </summary>
internal static class ApkLegacyVersionOrder
{
    private const int Invalid = -1;
    private const int DigitOrZero = 0;
    private const int Digit = 1;
    private const int Letter = 2;
    private const int Suffix = 3;
    private const int SuffixNumber = 4;
    private const int Revision = 5;
    private const int End = 6;

    private static readonly string[] PreReleaseSuffixes = ["alpha", "beta", "pre", "rc"];
    private static readonly string[] PostReleaseSuffixes = ["cvs", "svn", "git", "hg", "p"];

    public static bool IsValid(string version)
    {
        int type = Digit;
        int position = 0;
        while (type != End && type != Invalid)
        {
            _ = Read(version, ref type, ref position);
        }

        return type == End;
    }

    /// <summary>-1, 0 or 1. With <paramref name="fuzzy"/>, equal leading components are enough (2.10's '~').</summary>
    public static int Compare(string a, string b, bool fuzzy)
    {
        int at = Digit, bt = Digit;
        int ap = 0, bp = 0;
        int av = 0, bv = 0;
        while (at == bt && at != End && at != Invalid && av == bv)
        {
            av = Read(a, ref at, ref ap);
            bv = Read(b, ref bt, ref bp);
        }

        if (av != bv)
        {
            return av < bv ? -1 : 1;
        }

        if (at == bt || fuzzy)
        {
            return 0;
        }

        // Equal so far: the longer version is the greater unless what follows is a pre-release suffix.
        int probe = at;
        if (at == Suffix && Read(a, ref probe, ref ap) < 0)
        {
            return -1;
        }

        probe = bt;
        if (bt == Suffix && Read(b, ref probe, ref bp) < 0)
        {
            return 1;
        }

        return at > bt ? -1 : bt > at ? 1 : 0;
    }

    /// <summary>Reads the component of type <paramref name="type"/> at <paramref name="position"/>, then the next type.</summary>
    private static int Read(string text, ref int type, ref int position)
    {
        int remaining = text.Length - position;
        if (remaining <= 0)
        {
            type = End;
            return 0;
        }

        int value = 0, length = 0, nextType = Invalid;
        switch (type)
        {
            case DigitOrZero when text[position] == '0':
                while (length < remaining && text[position + length] == '0')
                {
                    length++;
                }

                nextType = Digit;
                value = -length;
                break;
            case DigitOrZero or Digit or SuffixNumber or Revision:
                while (length < remaining && char.IsAsciiDigit(text[position + length]))
                {
                    value = unchecked((value * 10) + (text[position + length] - '0'));
                    length++;
                }

                break;
            case Letter:
                value = text[position];
                length = 1;
                break;
            case Suffix:
                // A prefix match, as strncmp does: "_prefoo" reads "pre" and then fails on "foo".
                if (MatchPrefix(text, position, PreReleaseSuffixes, out int pre, out length))
                {
                    value = pre - PreReleaseSuffixes.Length;
                    break;
                }

                if (MatchPrefix(text, position, PostReleaseSuffixes, out int post, out length))
                {
                    value = post;
                    break;
                }

                type = Invalid;
                return -1;
            default:
                type = Invalid;
                return -1;
        }

        position += length;
        if (position >= text.Length)
        {
            type = End;
        }
        else if (nextType != Invalid)
        {
            type = nextType;
        }
        else
        {
            NextType(text, ref type, ref position);
        }

        return value;
    }

    private static bool MatchPrefix(string text, int position, string[] names, out int index, out int length)
    {
        for (index = 0; index < names.Length; index++)
        {
            if (text.AsSpan(position).StartsWith(names[index], StringComparison.Ordinal))
            {
                length = names[index].Length;
                return true;
            }
        }

        length = 0;
        return false;
    }

    private static void NextType(string text, ref int type, ref int position)
    {
        int next = Invalid;
        char c = position < text.Length ? text[position] : '\0';
        if (c == '\0')
        {
            next = End;
        }
        else if ((type == Digit || type == DigitOrZero) && char.IsAsciiLetterLower(c))
        {
            next = Letter;
        }
        else if (type == Letter && char.IsAsciiDigit(c))
        {
            next = Digit;
        }
        else if (type == Suffix && char.IsAsciiDigit(c))
        {
            next = SuffixNumber;
        }
        else
        {
            switch (c)
            {
                case '.':
                    next = DigitOrZero;
                    break;
                case '_':
                    next = Suffix;
                    break;
                case '-' when position + 1 < text.Length && text[position + 1] == 'r':
                    next = Revision;
                    position++;
                    break;
            }

            position++;
        }

        // Components may only move forward, except a new dot number after a digit or a letter, and a new suffix.
        if (next < type && !((next == DigitOrZero && type == Digit) || (next == Suffix && type == SuffixNumber) || (next == Digit && type == Letter)))
        {
            next = Invalid;
        }

        type = next;
    }
}
