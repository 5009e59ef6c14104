using System.Text;
using System.Text.Json;
using Footprint.Reports.Json;

namespace Footprint.Reports.Sbom;

/// <summary>The JSON plumbing both SBOM writers share: one artifact, an indented Utf8JsonWriter, readable escapes.</summary>
internal static class SbomJson
{
    public static void Write(Report report, Stream output, Action<SbomSubject, Utf8JsonWriter> body)
    {
        var subject = SbomSubject.From(report);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,
            // Purls and paths stay readable ('+', '<') instead of \uXXXX escapes; the output is JSON, never embedded in HTML.
            Encoder = ReadableJsonEncoder.Instance,
        });
        body(subject, json);
        json.Flush();
    }

    public static string ToJson(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
