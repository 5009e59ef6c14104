using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Footprint.Reports.Json;

/// <summary>The report as JSON (camelCase, nulls omitted, stable property order), documented by docs/report.schema.json.</summary>
public static class JsonReportWriter
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Report report, Stream output) => JsonSerializer.Serialize(output, report, Options);

    public static string ToJson(Report report) => JsonSerializer.Serialize(report, Options);
}
