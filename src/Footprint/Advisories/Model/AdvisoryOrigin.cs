namespace Footprint.Advisories.Model;

/// <summary>
/// Where a record came from: the feed kind, the file (as given to the importer; a zip entry is "all.zip!name.json"),
/// the record's path inside it (JSON path or YAML key path), and the line where the format has lines (YAML, text lists).
/// </summary>
public sealed record AdvisoryOrigin(FeedKind Feed, string File, string RecordPath, long? Line);
