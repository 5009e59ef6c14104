using System.Text;
using Footprint.Measures.Running;

namespace Footprint.Fuzz;

/// <summary>
/// An /etc/inittab as `boot`'s console choice reads it from an initrd (UTF-8 text, at most
/// <see cref="InitTab.MaxInittabBytes"/>): <see cref="InitTab.OnlyVirtualTerminalLogins"/> must never throw, and what it
/// returns names one of the input's lines ("line N: " and that line, trimmed).
/// </summary>
internal static class InitTabTarget
{
    internal static void Fuzz(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, InitTab.MaxInittabBytes));
        if (InitTab.OnlyVirtualTerminalLogins(text) is not { } first)
        {
            return;
        }

        var lines = text.Split('\n');
        var colon = first.IndexOf(": ", StringComparison.Ordinal);
        if (!first.StartsWith("line ", StringComparison.Ordinal) || colon < 0
            || !int.TryParse(first.AsSpan(5, colon - 5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n < 1 || n > lines.Length || lines[n - 1].Trim() != first[(colon + 2)..])
        {
            throw new InvalidOperationException($"'{first}' does not name a line of the input");
        }
    }
}
