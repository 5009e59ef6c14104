namespace Footprint.Measures.Running;

/// <summary>QEMU key codes (qapi/ui.json QKeyCode) for typing ASCII on a US keyboard through QMP send-key.</summary>
public static class KeyCodes
{
    private const string Unshifted = "-=;',./\\[]`";
    private const string Shifted = "_+:\"<>?|{}~";
    private const string ShiftedDigits = ")!@#$%^&*(";

    private static readonly string[] PunctuationCodes = ["minus", "equal", "semicolon", "apostrophe", "comma", "dot", "slash", "backslash", "bracket_left", "bracket_right", "grave_accent"];

    /// <summary>The keys pressed together for <paramref name="c"/>, or null for a character a US keyboard cannot type.</summary>
    public static string[]? For(char c)
    {
        if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
        {
            return [c.ToString()];
        }

        if (c is >= 'A' and <= 'Z')
        {
            return ["shift", char.ToLowerInvariant(c).ToString()];
        }

        switch (c)
        {
            case ' ':
                return ["spc"];
            case '\n':
                return ["ret"];
            case '\t':
                return ["tab"];
        }

        if (Unshifted.IndexOf(c, StringComparison.Ordinal) is var u and >= 0)
        {
            return [PunctuationCodes[u]];
        }

        if (Shifted.IndexOf(c, StringComparison.Ordinal) is var s and >= 0)
        {
            return ["shift", PunctuationCodes[s]];
        }

        return ShiftedDigits.IndexOf(c, StringComparison.Ordinal) is var d and >= 0 ? ["shift", d.ToString(System.Globalization.CultureInfo.InvariantCulture)] : null;
    }
}
