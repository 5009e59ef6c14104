namespace Footprint.Analyzers.Packages;

/// <summary>
/// Sizes written the way du -h and ls -sh print them ("1.2M", "340K", "999K", "12345"): the tiny-distro
/// databases (Slackware's UNCOMPRESSED PACKAGE SIZE, SliTaz's UNPACKED_SIZE, Puppy's size field) use
/// them. K, M and G are binary multiples, as in coreutils' -h output; a fraction rounds up, as
/// numfmt --from=iec does ("1.2M" is 1258292), since du -h itself rounds up when it prints.
/// </summary>
public static class HumanSize
{
    /// <summary>Largest number accepted before the suffix: anything bigger is not a package size.</summary>
    private const decimal MaxMantissa = 1_000_000_000_000m;

    /// <summary>The size in bytes (rounded up), or null for anything that is not a non-negative number with an optional K/M/G suffix.</summary>
    public static long? ParseBytes(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var multiplier = char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var number = char.IsAsciiDigit(value[^1]) ? value : value[..^1];
        if (number.Length == 0 || !char.IsAsciiDigit(number[0])
            || !decimal.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n > MaxMantissa)
        {
            return null;
        }

        if (multiplier == 1 && !char.IsAsciiDigit(value[^1]))
        {
            return null;
        }

        return (long)Math.Ceiling(n * multiplier);
    }
}
