using System.Text;
using System.Text.Json;
using Footprint.Advisories.Database;
using Footprint.Advisories.Model;

namespace Footprint.Fuzz;

/// <summary>
/// The advisory database's stored columns read back (ColumnCodec): a database is a file the user names, so every
/// column is untrusted. Only the exceptions AdvisoryDatabase turns into "a row this footprint did not write" may
/// escape; anything else is a crash.
/// </summary>
internal static class AdvisoryColumnsTarget
{
    public static void Fuzz(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        Attempt(() => ColumnCodec.Strings(text));
        Attempt(() => ColumnCodec.Ranges(text));
        Attempt(() => ColumnCodec.Date((object)text));
        Attempt(() => ColumnCodec.Name<FixState>(text));
        Attempt(() => ColumnCodec.Name<FeedKind>(text));
        Attempt(() => ColumnCodec.Name<SeverityLevel>(text));
        Attempt(() => ColumnCodec.Name<DistroTriage>(text));
    }

    private static void Attempt(Func<object?> read)
    {
        try
        {
            _ = read();
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or JsonException or KeyNotFoundException
            or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
        }
    }
}
