namespace Footprint.Reports.Comparisons;

/// <summary>Builds an <see cref="ArtifactDiff"/> from the measure reports of two artifacts.</summary>
public static class DiffBuilder
{
    /// <summary>Both reports must carry their file list (MeasureOptions.ListFiles, as `sbom --files`): files are compared by digest.</summary>
    public static ArtifactDiff Build(ArtifactReport old, ArtifactReport @new, ToolInfo tool)
    {
        if (old.Files is null || @new.Files is null)
        {
            throw new ArgumentException("a diff needs both reports measured with their file list (MeasureOptions.ListFiles)");
        }

        var (packages, packageTotals) = PackageDiff.Of(old.Inventory, @new.Inventory);
        var (files, fileTotals) = FileDiff.Of(old.Files, @new.Files);
        return new ArtifactDiff
        {
            Tool = tool,
            Old = ComparisonBuilder.Describe(old),
            New = ComparisonBuilder.Describe(@new),
            Summary = ComparisonBuilder.Rows([old, @new], baseline: 0),
            PackageTotals = packageTotals,
            Packages = packages,
            FileTotals = fileTotals,
            Files = files,
            Layers = LayerMatch.Of(old, @new),
            Surface = old.Surface is { } so && @new.Surface is { } sn ? SurfaceDiff.Of(so, sn) : null,
            Vulnerabilities = old.Vulnerabilities is { } vo && @new.Vulnerabilities is { } vn ? FindingDiff.Of(vo, vn) : null,
        };
    }
}
