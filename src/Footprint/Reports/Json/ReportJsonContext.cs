using System.Text.Json.Serialization;

namespace Footprint.Reports.Json;

/// <summary>
/// Source-generated serialization for the report: no reflection at run time,
/// so the CLI can be compiled ahead of time (native AOT) and starts in milliseconds.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(Report))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
