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
        return document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("a null in a list of strings")).ToList();
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
            .Select(e => e.GetArrayLength() == 4
                ? new AffectedRange(e[0].GetString(), e[1].GetString(), e[2].GetString(), e[3].GetBoolean())
                : throw new FormatException($"a range of {e.GetArrayLength()} items, not 4"))
            .ToList();
    }

    /// <summary>
    /// An enum stored by name. Enum.Parse would also take "42" or " Fixed,Unfixed" and hand back a value no feed wrote;
    /// a database is a file the user names, so anything but a declared name is refused.
    /// </summary>
    public static T Name<T>(string text)
        where T : struct, Enum
        => text.Length > 0 && char.IsAsciiLetter(text[0]) && Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            && value.ToString() == text
            ? value
            : throw new FormatException($"'{Printable(text)}' is not a {typeof(T).Name}");

    /// <summary>At most 64 characters, control characters as \u escapes: the text goes into an error message.</summary>
    private static string Printable(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "..." : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    public static string? Date(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Date(object? value)
        => value is string s ? DateTimeOffset.ParseExact(s, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

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
