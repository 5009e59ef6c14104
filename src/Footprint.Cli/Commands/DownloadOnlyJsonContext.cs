using System.Text.Json.Serialization;

namespace Footprint.Cli.Commands;

/// <summary>Source-generated JSON for `measure --download-only` (no reflection: the CLI compiles ahead of time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DownloadOnlyDocument))]
internal sealed partial class DownloadOnlyJsonContext : JsonSerializerContext;
