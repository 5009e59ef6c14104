namespace Footprint.Reports.Choices;

/// <summary>`footprint choose`: the ranked candidates and every excluded system with why (docs/choose.md, docs/choose.schema.json).</summary>
public sealed record Choice
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always "choice".</summary>
    public string Document { get; init; } = "choice";

    public required ToolInfo Tool { get; init; }

    public required ChoiceConstraints Constraints { get; init; }

    /// <summary>How candidates are ranked, in words.</summary>
    public required string Rule { get; init; }

    /// <summary>Entries considered from the shipped catalog (0 with --no-shipped).</summary>
    public required int ShippedEntries { get; init; }

    /// <summary>Entries considered from the user's catalog.</summary>
    public required int UserEntries { get; init; }

    public required IReadOnlyList<ChoiceCandidate> Candidates { get; init; }

    public required IReadOnlyList<ChoiceCandidate> Excluded { get; init; }
}
