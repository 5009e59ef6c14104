using Json.Schema;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// The official CycloneDX 1.6 and SPDX 2.3 JSON schemas from ../shared/schemas. Both are draft-07, which JsonSchema.Net reads
/// as is. bom-1.6 refers to its siblings by relative $ref ("spdx.schema.json", "jsf-0.82.schema.json#/definitions/signature"),
/// resolved against its $id http://cyclonedx.org/schema/bom-1.6.schema.json: the siblings are registered under their own $ids
/// (http://cyclonedx.org/schema/...), so nothing is fetched.
/// </summary>
internal static class SbomSchemas
{
    private static readonly Lazy<JsonSchema> CycloneDxSchema = new(() =>
    {
        var dir = Path.Combine(Repo.Schemas, "cyclonedx");
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry };
        foreach (var sibling in new[] { "spdx.schema.json", "jsf-0.82.schema.json" })
        {
            registry.Register(JsonSchema.FromText(File.ReadAllText(Path.Combine(dir, sibling)), options));
        }

        return JsonSchema.FromText(File.ReadAllText(Path.Combine(dir, "bom-1.6.schema.json")), options);
    });

    private static readonly Lazy<JsonSchema> SpdxSchema = new(()
        => JsonSchema.FromText(File.ReadAllText(Path.Combine(Repo.Schemas, "spdx-2.3", "spdx-schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    public static JsonSchema CycloneDx16 => CycloneDxSchema.Value;

    public static JsonSchema Spdx23 => SpdxSchema.Value;
}
