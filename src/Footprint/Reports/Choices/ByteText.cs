using System.Globalization;

namespace Footprint.Reports.Choices;

/// <summary>
/// Sizes as people write them on the command line and read them in a verdict. Parsing: a plain number is bytes;
/// K, M, G, T and KiB, MiB, GiB, TiB are powers of 1024 (as `docker run -m 64m` and QEMU's `-m` read them); KB, MB,
/// GB, TB are powers of 1000. Case does not matter; a fraction is allowed (1.5G).
/// </summary>
public static class ByteText
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("tib", 1L << 40),
        ("kb", 1000L), ("mb", 1000_000L), ("gb", 1000_000_000L), ("tb", 1000_000_000_000L),
        ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30), ("t", 1L << 40), ("b", 1L),
    ];

    /// <summary>Bytes of <paramref name="text"/>; <see cref="FormatException"/> naming the option for anything else.</summary>
    public static long Parse(string option, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var factor = 1L;
        foreach (var (suffix, f) in Suffixes)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                t = t[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (t.Length == 0 || !decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            throw new FormatException($"{option} {text}: not a size (write 64M, 64MiB, 1G, 500MB or a number of bytes)");
        }

        // Checked before multiplying: decimal throws OverflowException past 7.9e28.
        if (number > (decimal)(long.MaxValue / 2) / factor)
        {
            throw new FormatException($"{option} {text}: too large");
        }

        return (long)decimal.Ceiling(number * factor);
    }

    /// <summary>"128 MiB", "1.5 GiB", "900 B": binary units, one decimal when not whole.</summary>
    public static string Format(long bytes)
    {
        var sign = bytes < 0 ? "-" : "";
        var value = Math.Abs((double)bytes);
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var text = unit == 0 || Math.Abs(value - Math.Round(value)) < 0.05 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture);
        return $"{sign}{text} {units[unit]}";
    }
}
