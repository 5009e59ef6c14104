namespace Footprint.Reports.Comparisons;

/// <summary>
/// `footprint compare`: several artifacts of any kind side by side, every figure taken from each one's measure report
/// (the same numbers `measure -f json` writes). Documented by docs/compare.schema.json and docs/compare.md.
/// </summary>
public sealed record Comparison
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always "comparison": lets a reader tell this document from a report or a diff.</summary>
    public string Document { get; init; } = "comparison";

    public required ToolInfo Tool { get; init; }

    /// <summary>How a row's winner is chosen, in words.</summary>
    public required string Rule { get; init; }

    /// <summary>With --baseline: the index of the artifact the differences are taken from.</summary>
    public int? Baseline { get; init; }

    public required IReadOnlyList<ComparedArtifact> Artifacts { get; init; }

    public required IReadOnlyList<ComparisonRow> Rows { get; init; }
}
