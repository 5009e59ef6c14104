using System.Text.Json;

namespace Footprint.Reports.Json;

/// <summary>`footprint boot`'s JSON, documented by docs/boot.schema.json.</summary>
public static class BootJsonWriter
{
    private static readonly BootJsonContext Context = new(new JsonSerializerOptions(BootJsonContext.Default.Options) { Encoder = ReadableJsonEncoder.Instance });

    public static void Write(BootDocument document, Stream output) => JsonSerializer.Serialize(output, document, Context.BootDocument);
}
