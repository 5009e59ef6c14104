using System.Text;

namespace Footprint.Measures.Running;

/// <summary>
/// Console bytes from the guest made safe to match and print: terminal escape sequences (CSI <c>ESC [ ... final</c>, OSC
/// <c>ESC ] ... BEL/ST</c>, two-byte <c>ESC x</c>) removed, carriage returns and backspaces applied, every other
/// control character and every non-ASCII byte written as <c>\xNN</c>. The guest is untrusted: nothing it prints
/// reaches a terminal or report unescaped.
/// </summary>
public static class ConsoleText
{
    /// <summary>Cleans a chunk of console bytes, one line per '\n'.</summary>
    public static string Clean(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == 0x1b)
            {
                i = SkipEscape(bytes, i);
                continue;
            }

            if (b == 0x9b)
            {
                // 8-bit CSI.
                i = SkipCsi(bytes, i + 1);
                continue;
            }

            switch (b)
            {
                case (byte)'\n':
                    text.Append('\n');
                    break;
                case (byte)'\r' or 0x07:
                    break;
                case 0:
                    // An empty VGA text cell.
                    text.Append(' ');
                    break;
                case (byte)'\t':
                    text.Append(' ');
                    break;
                case 0x08:
                    if (text.Length > 0 && text[^1] != '\n')
                    {
                        text.Length--;
                    }

                    break;
                default:
                    if (b is >= 0x20 and < 0x7f)
                    {
                        text.Append((char)b);
                    }
                    else
                    {
                        text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
            }

            i++;
        }

        return text.ToString();
    }

    private static int SkipEscape(ReadOnlySpan<byte> bytes, int i)
    {
        if (i + 1 >= bytes.Length)
        {
            return bytes.Length;
        }

        return bytes[i + 1] switch
        {
            (byte)'[' => SkipCsi(bytes, i + 2),
            (byte)']' or (byte)'P' or (byte)'_' or (byte)'^' => SkipString(bytes, i + 2),
            (byte)'(' or (byte)')' or (byte)'#' or (byte)'%' => Math.Min(bytes.Length, i + 3),
            _ => i + 2,
        };
    }

    private static int SkipCsi(ReadOnlySpan<byte> bytes, int i)
    {
        // Parameters and intermediates (0x20-0x3f), then one final byte (0x40-0x7e).
        while (i < bytes.Length && bytes[i] is >= 0x20 and <= 0x3f)
        {
            i++;
        }

        return Math.Min(bytes.Length, i + 1);
    }

    private static int SkipString(ReadOnlySpan<byte> bytes, int i)
    {
        while (i < bytes.Length)
        {
            if (bytes[i] == 0x07)
            {
                return i + 1;
            }

            if (bytes[i] == 0x1b && i + 1 < bytes.Length && bytes[i + 1] == '\\')
            {
                return i + 2;
            }

            i++;
        }

        return i;
    }
}
