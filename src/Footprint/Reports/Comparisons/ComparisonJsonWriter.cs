using System.Text.Json;
using Footprint.Reports.Json;

namespace Footprint.Reports.Comparisons;

/// <summary>The compare and diff documents as JSON (camelCase, nulls omitted), documented by docs/compare.schema.json and docs/diff.schema.json.</summary>
public static class ComparisonJsonWriter
{
    private static readonly ComparisonJsonContext Context = new(new JsonSerializerOptions(ComparisonJsonContext.Default.Options)
    {
        Encoder = ReadableJsonEncoder.Instance,
    });

    public static void Write(Comparison comparison, Stream output) => JsonSerializer.Serialize(output, comparison, Context.Comparison);

    public static void Write(ArtifactDiff diff, Stream output) => JsonSerializer.Serialize(output, diff, Context.ArtifactDiff);
}
