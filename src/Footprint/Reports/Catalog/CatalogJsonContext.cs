using System.Text.Json.Serialization;

namespace Footprint.Reports.Catalog;

/// <summary>Source-generated serialization of catalog files (no reflection: the CLI is compiled ahead of time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(CatalogEntry))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
