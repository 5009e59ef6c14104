using System.Text.Json;

namespace Footprint.Advisories.Feeds;

/// <summary>A <see cref="FeedNode"/> over System.Text.Json (JSON has no lines here: errors name the JSON path).</summary>
public sealed class JsonFeedNode : FeedNode
{
    private readonly JsonElement _element;

    public JsonFeedNode(JsonElement element, string file, string path)
        : base(file, path)
    {
        _element = element;
    }

    public override long? Line => null;

    public override FeedNodeKind Kind => _element.ValueKind switch
    {
        JsonValueKind.Object => FeedNodeKind.Mapping,
        JsonValueKind.Array => FeedNodeKind.Sequence,
        JsonValueKind.String => FeedNodeKind.String,
        JsonValueKind.Number => FeedNodeKind.Number,
        JsonValueKind.True or JsonValueKind.False => FeedNodeKind.Boolean,
        _ => FeedNodeKind.Null,
    };

    public override string? Scalar => _element.ValueKind switch
    {
        JsonValueKind.String => Text(() => _element.GetString()!),
        JsonValueKind.Number => _element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public override IEnumerable<KeyValuePair<string, FeedNode>> Entries()
    {
        ExpectMapping();
        foreach (var property in _element.EnumerateObject())
        {
            var name = Text(() => property.Name);
            yield return new(name, new JsonFeedNode(property.Value, File, Child(Path, name)));
        }
    }

    public override IEnumerable<FeedNode> Items()
    {
        ExpectSequence();
        var i = 0;
        foreach (var item in _element.EnumerateArray())
        {
            yield return new JsonFeedNode(item, File, $"{Path}[{i++}]");
        }
    }

    public override FeedNode? Get(string key)
        => _element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(key, out var value) ? new JsonFeedNode(value, File, Child(Path, key)) : null;

    /// <summary>
    /// A string's text. System.Text.Json accepts an escaped lone surrogate ("\ud800") when parsing and throws
    /// InvalidOperationException only when the string is read: that is bad input, reported as such.
    /// </summary>
    private string Text(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException e)
        {
            throw Error($"a string that is not valid UTF-16 ({e.Message})");
        }
    }

    /// <summary>$.a.b for plain keys, $['a b'] for the rest (CVE ids and versions are plain enough: $.zlib.CVE-2022-37434).</summary>
    public static string Child(string path, string key)
    {
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or ':' or '~'))
            {
                return $"{path}['{Clip(key).Replace("'", "\\'", StringComparison.Ordinal)}']";
            }
        }

        return key.Length == 0 ? $"{path}['']" : path + "." + key;
    }
}
