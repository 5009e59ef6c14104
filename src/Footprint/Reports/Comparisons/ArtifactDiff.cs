namespace Footprint.Reports.Comparisons;

/// <summary>
/// `footprint diff OLD NEW`: what changed between two versions of one system, from the two measure reports (each
/// artifact walked once, nothing extracted). Documented by docs/diff.schema.json and docs/compare.md.
/// </summary>
public sealed record ArtifactDiff
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always "diff".</summary>
    public string Document { get; init; } = "diff";

    public required ToolInfo Tool { get; init; }

    public required ComparedArtifact Old { get; init; }

    public required ComparedArtifact New { get; init; }

    /// <summary>The compare rows of the two, with differences from the old one (new minus old).</summary>
    public required IReadOnlyList<ComparisonRow> Summary { get; init; }

    public required ChangeTotals PackageTotals { get; init; }

    /// <summary>Packages added, removed, upgraded, downgraded or changed, by ecosystem and name.</summary>
    public required IReadOnlyList<PackageChange> Packages { get; init; }

    public required ChangeTotals FileTotals { get; init; }

    /// <summary>Regular files added, removed or changed, by path.</summary>
    public required IReadOnlyList<FileChange> Files { get; init; }

    /// <summary>For two images: every layer, shared, removed or added. Null unless both artifacts are layered images.</summary>
    public IReadOnlyList<LayerDiff>? Layers { get; init; }

    /// <summary>Surface items gained and lost; null unless both reports have a surface section.</summary>
    public IReadOnlyList<SurfaceChange>? Surface { get; init; }

    /// <summary>Findings fixed and introduced; null unless both reports have a vulnerabilities section.</summary>
    public IReadOnlyList<FindingChange>? Vulnerabilities { get; init; }
}
