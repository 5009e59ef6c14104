using System.Text.Json.Serialization;

namespace Footprint.Reports.Comparisons;

/// <summary>Source-generated serialization of the compare and diff documents (no reflection: the CLI is compiled ahead of time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(Comparison))]
[JsonSerializable(typeof(ArtifactDiff))]
internal sealed partial class ComparisonJsonContext : JsonSerializerContext;
