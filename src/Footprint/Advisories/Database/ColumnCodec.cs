using System.Globalization;
using System.Text;
using System.Text.Json;
using Footprint.Advisories.Model;

namespace Footprint.Advisories.Database;

/// <summary>
/// How list and date columns are stored: string lists and ranges as small JSON arrays (written and read by hand, so
/// the library stays trimming-safe), dates as ISO 8601 UTC text, enums by name.
/// </summary>
internal static class ColumnCodec
{
    public static string Strings(IReadOnlyList<string> values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var v in values)
            {
                json.WriteStringValue(v);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static List<string> Strings(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
    }

    public static string Ranges(IReadOnlyList<AffectedRange> ranges)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var r in ranges)
            {
                json.WriteStartArray();
                Write(json, r.Introduced);
                Write(json, r.Fixed);
                Write(json, r.LastAffected);
                json.WriteBooleanValue(r.Valid);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static List<AffectedRange> Ranges(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateArray()
            .Select(e => new AffectedRange(e[0].GetString(), e[1].GetString(), e[2].GetString(), e[3].GetBoolean()))
            .ToList();
    }

    public static string? Date(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Date(object? value)
        => value is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    private static void Write(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }
}
