using System.Globalization;

namespace Footprint.Cli.Rendering;

/// <summary>A count with its noun in the right number: "1 package", "2 packages", "1,024 files".</summary>
internal static class Plural
{
    /// <param name="count">How many.</param>
    /// <param name="one">The noun for one ("package", "shared library").</param>
    /// <param name="many">The noun for any other count; default: <paramref name="one"/> + "s".</param>
    public static string Of(long count, string one, string? many = null)
        => count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many ?? one + "s");
}
