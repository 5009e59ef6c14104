namespace Footprint.Reports;

/// <summary>
/// The one data model every writer renders. Versioned; documented by docs/report.schema.json.
/// Every number carries its evidence (which layer, which file, how it was obtained).
/// </summary>
public sealed record Report
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required ToolInfo Tool { get; init; }

    public required IReadOnlyList<ArtifactReport> Artifacts { get; init; }
}
