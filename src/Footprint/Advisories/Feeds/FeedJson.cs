using System.Text.Json;
using Footprint.Formats;

namespace Footprint.Advisories.Feeds;

/// <summary>Parses a JSON feed with a nesting cap; a syntax error names the file, line and byte in the line.</summary>
public static class FeedJson
{
    /// <summary>The feeds nest six levels at most; System.Text.Json's own default is 64.</summary>
    public const int MaxDepth = 64;

    public static (JsonDocument Document, FeedNode Node) Parse(ReadOnlyMemory<byte> utf8, string file)
    {
        try
        {
            var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            return (document, new JsonFeedNode(document.RootElement, file, "$"));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}: " : "";
            throw new FootprintFormatException(file, null, $"{where}invalid JSON: {FeedNode.Clip(e.Message)}");
        }
    }
}
