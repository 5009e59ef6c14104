namespace Footprint.Analyzers.Packages;

/// <summary>One RFC 822-style stanza of a dpkg or opkg database: its fields and the line it starts on.</summary>
internal sealed record ControlStanza(int Line, IReadOnlyDictionary<string, string> Fields)
{
    public string? this[string field] => Fields.TryGetValue(field, out var v) ? v : null;
}
