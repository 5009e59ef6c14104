using System.Text.Json;
using Footprint.Formats;

namespace Footprint.Reports.Catalog;

/// <summary>
/// A JSON value with the path it was reached by, for readers that check a document field by field and name the exact
/// place of a bad value. Shared by the catalog and the published figures.
/// </summary>
internal readonly struct JsonPathNode(string source, JsonElement element, string path)
{
    public string Path => path;

    public JsonElement Element => element;

    public FootprintFormatException Error(string message) => new(source, null, $"{path}: {message}");

    /// <summary>An object with all of <paramref name="required"/>, nothing outside <paramref name="allowed"/>, no key twice.</summary>
    public void Keys(string[] required, string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error($"expected an object, found {Kind(element)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw new JsonPathNode(source, property.Value, $"{path}.{Printable(property.Name)}").Error("unknown property");
            }

            if (!seen.Add(property.Name))
            {
                throw new JsonPathNode(source, property.Value, $"{path}.{property.Name}").Error("appears twice");
            }
        }

        foreach (var name in required)
        {
            if (!seen.Contains(name))
            {
                throw Error($"missing required property \"{name}\"");
            }
        }
    }

    public JsonPathNode Get(string name) => new(source, element.GetProperty(name), $"{path}.{name}");

    /// <summary>The property, or null when it is absent or JSON null (null means "not measured").</summary>
    public JsonPathNode? Optional(string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? new JsonPathNode(source, value, $"{path}.{name}") : null;

    public JsonPathNode At(int index) => new(source, element[index], $"{path}[{index}]");

    public string String(int maxLength)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Error($"expected a string, found {Kind(element)}");
        }

        var value = element.GetString()!;
        if (value.Length > maxLength)
        {
            throw Error($"a string of {value.Length} characters, more than {maxLength}");
        }

        if (value.Any(char.IsControl))
        {
            throw Error("a string with control characters");
        }

        return value;
    }

    /// <summary>A lower-case kebab-case word (an init system, an analyzer id).</summary>
    public string Word()
    {
        var value = String(64);
        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw Error($"\"{value}\" is not a lower-case word (a-z, 0-9, -)");
        }

        return value;
    }

    /// <summary>A non-negative integer that fits in 64 bits (bytes, counts, points).</summary>
    public long Integer()
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw Error($"expected a non-negative integer, found {(element.ValueKind == JsonValueKind.Number ? element.GetRawText() : Kind(element))}");
        }

        return value >= 0 ? value : throw Error($"{value} is negative");
    }

    public IReadOnlyList<T> Array<T>(int maxItems, Func<JsonPathNode, T> item)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error($"expected an array, found {Kind(element)}");
        }

        var count = element.GetArrayLength();
        if (count > maxItems)
        {
            throw Error($"{count} items, more than {maxItems}");
        }

        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(item(At(i)));
        }

        return items;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A property name as a path segment: hostile names are cut and stripped of control characters.</summary>
    private static string Printable(string name)
    {
        var cleaned = new string(name.Select(c => char.IsControl(c) ? '?' : c).Take(64).ToArray());
        return cleaned.Length < name.Length ? cleaned + "..." : cleaned;
    }
}
