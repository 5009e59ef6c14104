using System.Text.Json.Serialization;

namespace Footprint.Reports.Json;

/// <summary>Source-generated serialization of `footprint boot`'s document, with the report's conventions (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(BootDocument))]
internal sealed partial class BootJsonContext : JsonSerializerContext;
