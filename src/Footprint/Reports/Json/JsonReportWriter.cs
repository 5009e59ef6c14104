using System.Text.Json;

namespace Footprint.Reports.Json;

/// <summary>The report as JSON (camelCase, nulls omitted, stable property order), documented by docs/report.schema.json.</summary>
public static class JsonReportWriter
{
    private static readonly ReportJsonContext Context = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        // Paths and messages stay readable ('<', '+', non-ASCII names) instead of \uXXXX escapes.
        Encoder = ReadableJsonEncoder.Instance,
    });

    public static void Write(Report report, Stream output) => JsonSerializer.Serialize(output, report, Context.Report);

    /// <summary>Reads back what <see cref="Write"/> wrote (the CLI's whole-report cache, which uses it only when it writes back identically).</summary>
    public static Report? Read(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Context.Report);

    public static string ToJson(Report report) => JsonSerializer.Serialize(report, Context.Report);
}
