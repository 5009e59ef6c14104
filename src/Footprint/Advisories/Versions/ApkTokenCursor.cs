namespace Footprint.Advisories.Versions;

/// <summary>
/// Walks an apk version one component at a time, as apk-tools 2.12 and later tokenize it (src/version.c,
/// token_first/token_next): the type of the next component follows from its first character, and a component
/// that may not follow the previous one (a letter after a suffix, a second revision...) turns the rest of the string
/// into <see cref="ApkToken.Invalid"/>. The two dialects differ only where <see cref="ApkDialectDifferences"/> says.
/// </summary>
internal struct ApkTokenCursor
{
    private readonly string _text;
    private readonly bool _apk3;
    private int _position;

    public ApkTokenCursor(string text, ApkDialect dialect)
    {
        _text = text;
        _apk3 = dialect == ApkDialect.Apk3;
        _position = 0;
        Token = ApkToken.InitialDigit;
        ReadDigits();
        if (ValueLength == 0)
        {
            Token = ApkToken.Invalid;
        }
    }

    public ApkToken Token { get; private set; }

    public ApkSuffix Suffix { get; private set; }

    /// <summary>A number as apk reads it: a 64-bit unsigned accumulator that wraps (apk_blob_pull_uint).</summary>
    public ulong Number { get; private set; }

    public int ValueStart { get; private set; }

    public int ValueLength { get; private set; }

    public readonly ReadOnlySpan<char> Value => _text.AsSpan(ValueStart, ValueLength);

    public void Next()
    {
        if (_position >= _text.Length)
        {
            Token = ApkToken.End;
            return;
        }

        char c = _text[_position];
        switch (c)
        {
            case >= 'a' and <= 'z':
                if (Token > ApkToken.Digit)
                {
                    Token = ApkToken.Invalid;
                    return;
                }

                ValueStart = _position;
                ValueLength = 1;
                Token = ApkToken.Letter;
                _position++;
                return;
            case '.' or (>= '0' and <= '9'):
                if (c == '.')
                {
                    if (Token > ApkToken.Digit)
                    {
                        Token = ApkToken.Invalid;
                        return;
                    }

                    _position++;
                }

                Token = Token switch
                {
                    ApkToken.InitialDigit or ApkToken.Digit => ApkToken.Digit,
                    ApkToken.Suffix => ApkToken.SuffixNumber,
                    _ => ApkToken.Invalid,
                };
                if (Token != ApkToken.Invalid)
                {
                    ReadNumber();
                }

                return;
            case '_':
                if (Token > ApkToken.SuffixNumber)
                {
                    Token = ApkToken.Invalid;
                    return;
                }

                _position++;
                ValueStart = _position;
                while (_position < _text.Length && _text[_position] is >= 'a' and <= 'z')
                {
                    _position++;
                }

                ValueLength = _position - ValueStart;
                Suffix = ParseSuffix(Value, _apk3);
                Token = Suffix == ApkSuffix.Invalid ? ApkToken.Invalid : ApkToken.Suffix;
                return;
            case '~' when _apk3:
                if (Token >= ApkToken.CommitHash)
                {
                    Token = ApkToken.Invalid;
                    return;
                }

                _position++;
                ValueStart = _position;
                while (_position < _text.Length && _text[_position] is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
                {
                    _position++;
                }

                ValueLength = _position - ValueStart;
                Token = ValueLength == 0 ? ApkToken.Invalid : ApkToken.CommitHash;
                return;
            case '-':
                if (Token >= ApkToken.Revision || _position + 1 >= _text.Length || _text[_position + 1] != 'r')
                {
                    Token = ApkToken.Invalid;
                    return;
                }

                _position += 2;
                Token = ApkToken.Revision;
                ReadNumber();
                return;
            default:
                Token = ApkToken.Invalid;
                return;
        }
    }

    /// <summary>A run of digits; apk 3 refuses an empty one where 2.14 reads it as 0 (1-r, 0..8).</summary>
    private void ReadNumber()
    {
        ReadDigits();
        if (_apk3 && ValueLength == 0)
        {
            Token = ApkToken.Invalid;
        }
    }

    private void ReadDigits()
    {
        ValueStart = _position;
        ulong number = 0;
        while (_position < _text.Length && _text[_position] is >= '0' and <= '9')
        {
            number = unchecked((number * 10) + (ulong)(_text[_position] - '0'));
            _position++;
        }

        Number = number;
        ValueLength = _position - ValueStart;
    }

    private static ApkSuffix ParseSuffix(ReadOnlySpan<char> name, bool apk3) => name switch
    {
        "" => apk3 ? ApkSuffix.Invalid : ApkSuffix.None,
        "alpha" => ApkSuffix.Alpha,
        "beta" => ApkSuffix.Beta,
        "pre" => ApkSuffix.Pre,
        "rc" => ApkSuffix.Rc,
        "cvs" => ApkSuffix.Cvs,
        "svn" => ApkSuffix.Svn,
        "git" => ApkSuffix.Git,
        "hg" => ApkSuffix.Hg,
        "p" => ApkSuffix.P,
        _ => ApkSuffix.Invalid,
    };
}
