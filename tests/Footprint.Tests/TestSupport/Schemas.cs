using System.Text.Json;
using Json.Schema;

namespace Footprint.Tests.TestSupport;

/// <summary>JSON Schema validation (JsonSchema.Net) against our schema and the official ones in ../shared/schemas.</summary>
internal static class Schemas
{
    private static readonly Lazy<JsonSchema> ReportSchema = new(() => Load(Path.Combine(Repo.Root, "docs", "report.schema.json"), []));

    public static JsonSchema Report => ReportSchema.Value;

    private static readonly Lazy<JsonSchema> DownloadOnlySchema = new(() => Load(
        Path.Combine(Repo.Root, "docs", "download-only.schema.json"), [Path.Combine(Repo.Root, "docs", "report.schema.json")]));

    /// <summary>docs/download-only.schema.json, with the report schema it refers to registered.</summary>
    public static JsonSchema DownloadOnly => DownloadOnlySchema.Value;

    private static readonly Lazy<JsonSchema> BootSchema = new(() => Load(
        Path.Combine(Repo.Root, "docs", "boot.schema.json"), [Path.Combine(Repo.Root, "docs", "report.schema.json")]));

    /// <summary>docs/boot.schema.json (`footprint boot -f json`), with the report schema it refers to registered.</summary>
    public static JsonSchema Boot => BootSchema.Value;

    private static readonly Lazy<JsonSchema> CompareSchema = new(() => Load(Path.Combine(Repo.Root, "docs", "compare.schema.json"), []));

    private static readonly Lazy<JsonSchema> DiffSchema = new(() => Load(Path.Combine(Repo.Root, "docs", "diff.schema.json"), []));

    /// <summary>docs/compare.schema.json, loaded once: a second load of the same $id is refused by JsonSchema.Net.</summary>
    public static JsonSchema Compare => CompareSchema.Value;

    /// <summary>docs/diff.schema.json, loaded once.</summary>
    public static JsonSchema Diff => DiffSchema.Value;

    /// <summary>
    /// Loads an official OCI schema with its siblings registered. They are draft-04 (which JsonSchema.Net
    /// does not read), so each is read as draft 2020-12 with its draft-04 "id"s removed, "definitions" named
    /// "$defs", and a common base URI under which the specs' relative $refs ("defs.json#/definitions/int64")
    /// resolve to the sibling files. The drafts agree on every other keyword these files use.
    /// </summary>
    public static JsonSchema Oci(string file) => OciSchemas.Value.TryGetValue(file, out var s) ? s : throw new FileNotFoundException(file);

    private static readonly Lazy<Dictionary<string, JsonSchema>> OciSchemas = new(LoadOci);

    private static readonly Lazy<JsonSchema> SarifSchema = new(() => Draft4(Path.Combine(Repo.Schemas, "sarif-2.1.0", "sarif-schema-2.1.0.json")));

    /// <summary>The official SARIF 2.1.0 schema (draft-04), read the way <see cref="Oci"/> reads the OCI ones.</summary>
    public static JsonSchema Sarif210 => SarifSchema.Value;

    /// <summary>A draft-04 schema without siblings, read as draft 2020-12 (see <see cref="Oci"/>).</summary>
    private static JsonSchema Draft4(string path)
    {
        var text = File.ReadAllText(path).Replace("\"definitions\"", "\"$defs\"", StringComparison.Ordinal).Replace("#/definitions/", "#/$defs/", StringComparison.Ordinal);
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        StripDraft4Ids(node);
        node["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return JsonSchema.FromText(node.ToJsonString(), baseUri: new Uri("https://schemas.invalid/" + Path.GetFileName(path)));
    }

    private static Dictionary<string, JsonSchema> LoadOci()
    {
        var dir = Path.Combine(Repo.Schemas, "oci-image-spec", "v1.1.1");
        var all = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path).Replace("\"definitions\"", "\"$defs\"", StringComparison.Ordinal).Replace("#/definitions/", "#/$defs/", StringComparison.Ordinal);
            var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            StripDraft4Ids(node);
            node["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            JsonSchema schema;
            try
            {
                schema = JsonSchema.FromText(node.ToJsonString(), baseUri: new Uri("https://oci-image-spec.invalid/" + Path.GetFileName(path)));
            }
            catch (JsonSchemaException e)
            {
                throw new InvalidOperationException(path + ": " + e.Message + " " + node.ToJsonString()[..200], e);
            }

            all[Path.GetFileName(path)] = schema;
        }

        return all;
    }

    private static void StripDraft4Ids(System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is System.Text.Json.Nodes.JsonObject obj)
        {
            if (obj["id"] is System.Text.Json.Nodes.JsonValue)
            {
                obj.Remove("id");
            }

            // "media" is a draft-04 hyper-schema annotation (base64 strings); it validates nothing.
            if (obj["media"] is System.Text.Json.Nodes.JsonObject)
            {
                obj.Remove("media");
            }

            foreach (var (_, child) in obj.ToList())
            {
                StripDraft4Ids(child);
            }
        }
        else if (node is System.Text.Json.Nodes.JsonArray array)
        {
            foreach (var child in array)
            {
                StripDraft4Ids(child);
            }
        }
    }

    public static IReadOnlyList<string> Errors(JsonSchema schema, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    private static JsonSchema Load(string path, IReadOnlyList<string> siblings)
    {
        var registry = new SchemaRegistry();
        foreach (var s in siblings)
        {
            registry.Register(JsonSchema.FromText(File.ReadAllText(s), new BuildOptions { SchemaRegistry = registry }));
        }

        return JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = registry });
    }
}
