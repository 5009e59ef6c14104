namespace Footprint.Advisories.Feeds;

/// <summary>The shape of a value in a JSON or YAML feed.</summary>
public enum FeedNodeKind
{
    Mapping,
    Sequence,
    String,
    Number,
    Boolean,
    Null,
}
