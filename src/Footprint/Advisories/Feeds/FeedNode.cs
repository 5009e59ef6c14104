using Footprint.Formats;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// A value of a JSON or YAML feed with its path (<c>$.packages[3].pkg.name</c>) and, for YAML, its line: the
/// importers read both formats through this one type-checked view, and every error names the file and the path.
/// </summary>
public abstract class FeedNode
{
    protected FeedNode(string file, string path)
    {
        File = file;
        Path = path;
    }

    /// <summary>The file (or "archive!entry") the value is in.</summary>
    public string File { get; }

    /// <summary>The value's path from the document root.</summary>
    public string Path { get; }

    /// <summary>The 1-based line, where the format has lines.</summary>
    public abstract long? Line { get; }

    public abstract FeedNodeKind Kind { get; }

    /// <summary>The text of a scalar (string, number, boolean); null for mappings, sequences and null.</summary>
    public abstract string? Scalar { get; }

    /// <summary>A mapping's entries in document order.</summary>
    public abstract IEnumerable<KeyValuePair<string, FeedNode>> Entries();

    /// <summary>A sequence's items in document order.</summary>
    public abstract IEnumerable<FeedNode> Items();

    /// <summary>A mapping's value for <paramref name="key"/>, or null when absent.</summary>
    public abstract FeedNode? Get(string key);

    /// <summary>"$.a.b (line 12)": the path, plus the line when known.</summary>
    public string Where => Line is { } l ? $"{Path} (line {l})" : Path;

    public FootprintFormatException Error(string message) => new(File, null, $"{Where}: {message}");

    public FeedNode ExpectMapping() => Kind == FeedNodeKind.Mapping ? this : throw Error($"expected a mapping, found {Describe()}");

    public FeedNode ExpectSequence() => Kind == FeedNodeKind.Sequence ? this : throw Error($"expected a list, found {Describe()}");

    /// <summary>
    /// A string. In YAML every scalar is text (1.10 stays "1.10"); in JSON a number where a string belongs is a type error.
    /// </summary>
    public string ExpectString() => Kind == FeedNodeKind.String ? Scalar! : throw Error($"expected a string, found {Describe()}");

    public FeedNode Required(string key) => ExpectMapping().Get(key) ?? throw Error($"missing '{key}'");

    public string RequiredString(string key) => Required(key).ExpectString();

    /// <summary>The string at <paramref name="key"/>; null when absent or null.</summary>
    public string? OptionalString(string key)
    {
        var node = ExpectMapping().Get(key);
        return node is null || node.Kind == FeedNodeKind.Null ? null : node.ExpectString();
    }

    /// <summary>The list at <paramref name="key"/>; empty when absent or null.</summary>
    public IEnumerable<FeedNode> OptionalList(string key)
    {
        var node = ExpectMapping().Get(key);
        return node is null || node.Kind == FeedNodeKind.Null ? [] : node.ExpectSequence().Items();
    }

    /// <summary>A list of strings at <paramref name="key"/>; empty when absent.</summary>
    public List<string> OptionalStrings(string key) => OptionalList(key).Select(n => n.ExpectString()).ToList();

    /// <summary>An RFC 3339 timestamp at <paramref name="key"/>; null when absent.</summary>
    public DateTimeOffset? OptionalTimestamp(string key)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw Required(key).Error($"not a timestamp: '{Clip(text)}'");
    }

    public string Describe() => Kind switch
    {
        FeedNodeKind.Mapping => "a mapping",
        FeedNodeKind.Sequence => "a list",
        FeedNodeKind.Number => $"the number {Clip(Scalar!)}",
        FeedNodeKind.Boolean => $"the boolean {Scalar}",
        FeedNodeKind.Null => "null",
        _ => $"the string '{Clip(Scalar!)}'",
    };

    /// <summary>Input text quoted in a message, cut so a hostile megabyte of text does not become the message.</summary>
    public static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
