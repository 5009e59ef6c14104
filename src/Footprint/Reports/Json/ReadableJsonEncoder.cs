using System.Text;
using System.Text.Encodings.Web;

namespace Footprint.Reports.Json;

/// <summary>
/// The JSON encoder of every report: <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (paths and purls stay
/// readable: '+', '&lt;', non-ASCII names), which already escapes control characters as RFC 8259 requires, plus the
/// Unicode bidirectional controls (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) and the line/paragraph separators
/// (U+2028-2029). Those are legal unescaped JSON, but a file name holding U+202E reorders what a terminal shows when the
/// JSON is printed (`footprint measure -f json x | less`): names from an artifact are untrusted.
/// </summary>
internal sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    public static readonly ReadableJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Relaxed = UnsafeRelaxedJsonEscaping;

    private ReadableJsonEncoder()
    {
    }

    /// <summary>"\uXXXX" is the longest escape either encoder writes for one UTF-16 unit.</summary>
    public override int MaxOutputCharactersPerInputCharacter => Relaxed.MaxOutputCharactersPerInputCharacter;

    public static bool IsBidiOrSeparator(int scalar)
        => scalar is 0x061C or 0x200E or 0x200F or (>= 0x2028 and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncode(text, textLength);
        var limit = relaxed < 0 ? textLength : relaxed;
        for (var i = 0; i < limit; i++)
        {
            if (IsBidiOrSeparator(text[i]))
            {
                return i;
            }
        }

        return relaxed;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncodeUtf8(utf8Text);
        var limit = relaxed < 0 ? utf8Text.Length : relaxed;
        for (var i = 0; i < limit;)
        {
            // Every character checked here is 3 bytes in UTF-8 (E2 80 8E ... / D8 9C is U+061C, 2 bytes).
            if (Rune.DecodeFromUtf8(utf8Text[i..limit], out var rune, out var used) == System.Buffers.OperationStatus.Done && IsBidiOrSeparator(rune.Value))
            {
                return i;
            }

            i += Math.Max(1, used);
        }

        return relaxed;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!IsBidiOrSeparator(unicodeScalar))
        {
            return Relaxed.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        }

        const int EscapeChars = 6;
        if (bufferLength < EscapeChars)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        var hex = unicodeScalar.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
        buffer[0] = '\\';
        buffer[1] = 'u';
        for (var i = 0; i < 4; i++)
        {
            buffer[2 + i] = hex[i];
        }

        numberOfCharactersWritten = EscapeChars;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) => IsBidiOrSeparator(unicodeScalar) || Relaxed.WillEncode(unicodeScalar);
}
