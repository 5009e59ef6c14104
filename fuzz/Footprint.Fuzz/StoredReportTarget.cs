using System.Text;
using System.Text.Json;
using Footprint.Reports.Json;

namespace Footprint.Fuzz;

/// <summary>
/// The check a stored report document passes before `measure -f json` writes it as it is (StoredJson.IsWritable):
/// whatever the bytes, it answers without throwing, and what it accepts is one JSON object (System.Text.Json's
/// document parser agrees) in valid UTF-8 holding no escape, no other C0 or C1 control but newlines, and no
/// bidirectional control: nothing that could reach a terminal unescaped.
/// </summary>
internal static class StoredReportTarget
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static void Fuzz(byte[] input)
    {
        if (!StoredJson.IsWritable(input))
        {
            return;
        }

        var text = Strict.GetString(input);
        foreach (var rune in text.EnumerateRunes())
        {
            if ((Rune.IsControl(rune) && rune.Value != '\n') || ReadableJsonEncoder.IsBidiOrSeparator(rune.Value))
            {
                throw new InvalidOperationException($"accepted U+{rune.Value:X4}");
            }
        }

        using var document = JsonDocument.Parse(input);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"accepted a {document.RootElement.ValueKind}");
        }
    }
}
