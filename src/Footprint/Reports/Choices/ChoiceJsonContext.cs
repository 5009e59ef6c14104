using System.Text.Json.Serialization;

namespace Footprint.Reports.Choices;

/// <summary>Source-generated serialization of the choice document (no reflection: the CLI is compiled ahead of time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(Choice))]
internal sealed partial class ChoiceJsonContext : JsonSerializerContext;
