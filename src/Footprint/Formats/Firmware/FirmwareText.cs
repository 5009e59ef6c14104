using System.Globalization;
using System.Text;

namespace Footprint.Formats.Firmware;

/// <summary>How header fields are shown in a part's details: C strings, hex numbers, names from U-Boot's tables.</summary>
internal static class FirmwareText
{
    public static string CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul >= 0 ? bytes[..nul] : bytes).Trim();
    }

    /// <summary>A NUL-padded text field that holds at least one character and only printable ASCII.</summary>
    public static string? PrintableField(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = nul >= 0 ? field[..nul] : field;
        if (text.Length == 0 || text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || (nul >= 0 && field[nul..].IndexOfAnyExcept((byte)0) >= 0))
        {
            return null;
        }

        return Encoding.ASCII.GetString(text);
    }

    public static string Name(string[] names, byte value) => value < names.Length ? names[value] : value.ToString(CultureInfo.InvariantCulture);

    public static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
