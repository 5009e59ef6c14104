namespace Footprint.Advisories.Feeds;

/// <summary>
/// A <see cref="FeedNode"/> of a YAML document built by <see cref="YamlTree"/>. Every scalar is text (YAML's
/// implicit typing would turn the version 1.10 into a float); plain <c>null</c>, <c>~</c> and empty are null.
/// </summary>
public sealed class YamlFeedNode : FeedNode
{
    private readonly FeedNodeKind _kind;
    private readonly string? _scalar;
    private readonly List<KeyValuePair<string, FeedNode>>? _entries;
    private readonly Dictionary<string, FeedNode>? _byKey;
    private readonly List<FeedNode>? _items;

    private YamlFeedNode(string file, string path, long line, FeedNodeKind kind, string? scalar)
        : base(file, path)
    {
        Line = line;
        _kind = kind;
        _scalar = scalar;
        if (kind == FeedNodeKind.Mapping)
        {
            _entries = [];
            _byKey = new(StringComparer.Ordinal);
        }
        else if (kind == FeedNodeKind.Sequence)
        {
            _items = [];
        }
    }

    public override long? Line { get; }

    public override FeedNodeKind Kind => _kind;

    public override string? Scalar => _scalar;

    internal static YamlFeedNode ScalarNode(string file, string path, long line, string? text) => new(file, path, line, text is null ? FeedNodeKind.Null : FeedNodeKind.String, text);

    internal static YamlFeedNode Mapping(string file, string path, long line) => new(file, path, line, FeedNodeKind.Mapping, null);

    internal static YamlFeedNode Sequence(string file, string path, long line) => new(file, path, line, FeedNodeKind.Sequence, null);

    /// <summary>Adds a mapping entry; a repeated key is an error (YAML 1.2 §3.2.1.1: keys are unique).</summary>
    internal void Add(string key, FeedNode value)
    {
        if (!_byKey!.TryAdd(key, value))
        {
            throw value.Error($"duplicate key '{Clip(key)}'");
        }

        _entries!.Add(new(key, value));
    }

    internal void Add(FeedNode item) => _items!.Add(item);

    public override IEnumerable<KeyValuePair<string, FeedNode>> Entries()
    {
        ExpectMapping();
        return _entries!;
    }

    public override IEnumerable<FeedNode> Items()
    {
        ExpectSequence();
        return _items!;
    }

    public override FeedNode? Get(string key) => _byKey is not null && _byKey.TryGetValue(key, out var v) ? v : null;
}
