using System.Text.Json.Serialization;

namespace Footprint.Measures.Download;

/// <summary>
/// Serializes the manifest a push would write, compactly and with camelCase names, as registries store it. It lives
/// beside the measure (not in Reports) so the measure does not depend on the report writers above it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(PushManifestDocument))]
internal sealed partial class PushManifestJsonContext : JsonSerializerContext;
