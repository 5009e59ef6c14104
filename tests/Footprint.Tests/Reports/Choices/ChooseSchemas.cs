using Json.Schema;

namespace Footprint.Tests.Reports.Choices;

/// <summary>docs/choose.schema.json and docs/catalog.schema.json, each loaded once (JsonSchema.Net refuses a second load of the same $id).</summary>
internal static class ChooseSchemas
{
    private static readonly Lazy<JsonSchema> ChoiceSchema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(TestSupport.Repo.Root, "docs", "choose.schema.json"))));

    private static readonly Lazy<JsonSchema> CatalogSchema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(TestSupport.Repo.Root, "docs", "catalog.schema.json"))));

    public static JsonSchema Choice => ChoiceSchema.Value;

    public static JsonSchema Catalog => CatalogSchema.Value;

    public static bool Valid(JsonSchema schema, string json)
        => schema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
}
