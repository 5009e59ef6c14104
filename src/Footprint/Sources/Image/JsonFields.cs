using System.Globalization;
using System.Text.Json;
using Footprint.Formats;

namespace Footprint.Sources.Image;

/// <summary>
/// A JSON value together with the file it came from and its JSON path (<c>$.manifests[0].size</c>), so every field an
/// image reader takes from index.json, a manifest, docker's manifest.json or an image config is type-checked and a
/// wrong shape is a <see cref="FootprintFormatException"/> naming the file and the path. Optional fields may be absent
/// or JSON null (docker writes <c>"Entrypoint": null</c>); present with another type, they are an error, never
/// silently ignored. Messages carry the path and the expected type, never the offending JSON text.
/// </summary>
internal readonly struct JsonFields
{
    /// <summary>JSON nesting accepted in image metadata (real manifests and configs nest 4-5 deep).</summary>
    public const int MaxDepth = 64;

    private JsonFields(JsonElement element, string file, string path)
    {
        Element = element;
        File = file;
        Path = path;
    }

    public JsonElement Element { get; }

    public string File { get; }

    /// <summary>JSONPath of this value, "$" for the root.</summary>
    public string Path { get; }

    public JsonValueKind Kind => Element.ValueKind;

    /// <summary>Parses a metadata blob; invalid UTF-8 or JSON is an error naming <paramref name="file"/>.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string file)
    {
        // JsonElement.GetString throws on invalid UTF-8 inside strings; refuse such a document up front.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw new FootprintFormatException(file, null, "not valid UTF-8");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            // The parser's message quotes no input text, only a line and byte position.
            throw new FootprintFormatException(file, null, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
    }

    public static JsonFields Root(JsonDocument doc, string file) => new(doc.RootElement, file, "$");

    /// <summary>This value, when it is an object; otherwise an error.</summary>
    public JsonFields AsObject() => Kind == JsonValueKind.Object ? this : throw WrongType("an object");

    /// <summary>This value, when it is an array; otherwise an error.</summary>
    public JsonFields AsArray() => Kind == JsonValueKind.Array ? this : throw WrongType("an array");

    public string AsString() => Kind == JsonValueKind.String ? Element.GetString()! : throw WrongType("a string");

    /// <summary>A non-negative integer that fits in 64 bits (a size): 1.5e300, -1, 2.5 or "12" are errors.</summary>
    public long AsSize()
    {
        if (Kind != JsonValueKind.Number)
        {
            throw WrongType("a number");
        }

        if (!Element.TryGetInt64(out var v) || v < 0)
        {
            throw Error("must be a non-negative integer of at most 63 bits");
        }

        return v;
    }

    /// <summary>The member <paramref name="name"/>; null when absent or JSON null. This value must be an object.</summary>
    public JsonFields? Get(string name)
    {
        AsObject();
        return Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? new JsonFields(v, File, Member(name)) : null;
    }

    /// <summary>The member <paramref name="name"/>, which must be present and not null.</summary>
    public JsonFields Required(string name)
        => Get(name) ?? throw new FootprintFormatException(File, null, $"{Member(name)}: required field is missing or null");

    public string? OptionalString(string name) => Get(name)?.AsString();

    public string RequiredString(string name) => Required(name).AsString();

    public long? OptionalSize(string name) => Get(name)?.AsSize();

    public JsonFields? OptionalObject(string name) => Get(name)?.AsObject();

    /// <summary>An optional array of strings (Entrypoint, Cmd, RepoTags).</summary>
    public List<string>? OptionalStrings(string name, int maxItems)
        => Get(name) is { } a ? a.Items(maxItems).Select(x => x.AsString()).ToList() : null;

    /// <summary>The items of this array, each with its path; more than <paramref name="maxItems"/> is an error before any is read.</summary>
    public IEnumerable<JsonFields> Items(int maxItems)
    {
        AsArray();
        var count = Element.GetArrayLength();
        if (count > maxItems)
        {
            throw Error($"lists {count} items, more than the {maxItems} accepted");
        }

        return ItemsUnchecked();
    }

    /// <summary>The members of this object, each with its path.</summary>
    public IEnumerable<(string Name, JsonFields Value)> Properties()
    {
        AsObject();
        var (element, file, path) = (Element, File, Path);
        return element.EnumerateObject().Select(p => (p.Name, new JsonFields(p.Value, file, Append(path, p.Name))));
    }

    /// <summary>An error about this value, naming the file and path.</summary>
    public FootprintFormatException Error(string message) => new(File, null, $"{Path}: {message}");

    private FootprintFormatException WrongType(string expected) => Error($"expected {expected}, found {Describe(Kind)}");

    private IEnumerable<JsonFields> ItemsUnchecked()
    {
        var i = 0;
        foreach (var item in Element.EnumerateArray())
        {
            yield return new JsonFields(item, File, $"{Path}[{i.ToString(CultureInfo.InvariantCulture)}]");
            i++;
        }
    }

    private string Member(string name) => Append(Path, name);

    /// <summary>$.name for plain names, $['a.b'] otherwise (annotation keys hold dots).</summary>
    private static string Append(string path, string name)
        => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
