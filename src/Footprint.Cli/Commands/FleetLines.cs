using System.Text.Json;
using Footprint.Formats;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources.Registry;

namespace Footprint.Cli.Commands;

/// <summary>
/// The JSON Lines of `measure --list` (docs/fleet.md): one line per input, either that input's artifact report in the
/// report schema's artifact shape (which carries the input), or <c>{"input":..., "error":{"message","exitClass","exitCode"}}</c>.
/// </summary>
internal static class FleetLines
{
    private static readonly JsonWriterOptions Compact = new()
    {
        Indented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The artifact report on one line (no newline inside: JSON escapes every control character in strings).</summary>
    public static byte[] Report(ArtifactReport report)
    {
        // The report's JSON goes through the one writer the schema documents, then is re-written compactly: the
        // artifact is exactly what `measure -f json` gives under artifacts[].
        var whole = JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [report] });
        using var document = JsonDocument.Parse(whole);
        return Write(w => document.RootElement.GetProperty("artifacts")[0].WriteTo(w));
    }

    /// <summary>The error line of an input that could not be measured; the message is the one the CLI would print.</summary>
    public static byte[] Error(string input, Exception error) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("input", input);
        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        w.WriteString("exitClass", ExitClass(error));
        w.WriteNumber("exitCode", Program.ErrorExitCode);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>
    /// What kind of failure, for a fleet operator sorting thousands of lines: "format" (the artifact's bytes are
    /// malformed), "registry" (unreachable, refused, needs credentials), "input" (no such file, unreadable, a bad
    /// reference), "internal" (a bug in footprint). All exit with <see cref="Program.ErrorExitCode"/>.
    /// </summary>
    public static string ExitClass(Exception error) => error switch
    {
        FootprintFormatException or InvalidDataException or JsonException => "format",
        RegistryException or HttpRequestException => "registry",
        IOException or UnauthorizedAccessException or ArgumentException or FormatException or OperationCanceledException => "input",
        _ => "internal",
    };

    /// <summary>
    /// The input a complete line names, or null when the line is not a JSON object with a string "input" (a line
    /// torn by a killed run, or something else entirely).
    /// </summary>
    public static string? InputOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input", out var input)
                && input.ValueKind == JsonValueKind.String ? input.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            write(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
