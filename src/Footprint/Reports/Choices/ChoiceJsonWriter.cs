using System.Text.Json;
using Footprint.Reports.Json;

namespace Footprint.Reports.Choices;

/// <summary>The choice document as JSON (camelCase, nulls omitted), documented by docs/choose.schema.json.</summary>
public static class ChoiceJsonWriter
{
    private static readonly ChoiceJsonContext Context = new(new JsonSerializerOptions(ChoiceJsonContext.Default.Options)
    {
        Encoder = ReadableJsonEncoder.Instance,
    });

    public static void Write(Choice choice, Stream output) => JsonSerializer.Serialize(output, choice, Context.Choice);
}
