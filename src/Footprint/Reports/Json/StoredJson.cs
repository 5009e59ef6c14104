using System.Text;
using System.Text.Json;

namespace Footprint.Reports.Json;

/// <summary>
/// Whether a stored report document may be written out as it is: a forged cache row (its seal is a checksum anyone who
/// can write the cache file can recompute) must not reach a terminal with what the report writer never emits. So the
/// bytes must be one well-formed JSON object in valid UTF-8 with no control character but the newlines of its
/// indentation, and none of the bidirectional controls or line separators <see cref="ReadableJsonEncoder"/> escapes.
/// Anything else is measured again, as a miss.
/// </summary>
public static class StoredJson
{
    public static bool IsWritable(ReadOnlySpan<byte> json)
    {
        for (var i = 0; i < json.Length;)
        {
            if (Rune.DecodeFromUtf8(json[i..], out var rune, out var used) != System.Buffers.OperationStatus.Done
                || (Rune.IsControl(rune) && rune.Value != '\n') || ReadableJsonEncoder.IsBidiOrSeparator(rune.Value))
            {
                return false;
            }

            i += used;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.TrySkip())
            {
                return false;
            }

            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
