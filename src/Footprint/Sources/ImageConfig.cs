using System.Text.Json;

namespace Footprint.Sources;

/// <summary>The facts of an OCI / Docker image config that Footprint reports.</summary>
public sealed record ImageConfig
{
    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? Variant { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> DiffIds { get; init; } = [];

    public string? Created { get; init; }

    /// <summary>Parses a config blob; unknown or malformed fields are left empty rather than failing the scan.</summary>
    public static ImageConfig Parse(ReadOnlySpan<byte> json, string source)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new Formats.FootprintFormatException(source, null, "image config is not valid UTF-8");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new Formats.FootprintFormatException(source, e.BytePositionInLine, "image config is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new Formats.FootprintFormatException(source, 0, "image config is not a JSON object");
            }

            var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            return new ImageConfig
            {
                Os = Str(root, "os"),
                Architecture = Str(root, "architecture"),
                Variant = Str(root, "variant"),
                Created = Str(root, "created"),
                Entrypoint = config.ValueKind == JsonValueKind.Object ? StrList(config, "Entrypoint") : null,
                Cmd = config.ValueKind == JsonValueKind.Object ? StrList(config, "Cmd") : null,
                User = config.ValueKind == JsonValueKind.Object ? Str(config, "User") : null,
                WorkingDir = config.ValueKind == JsonValueKind.Object ? Str(config, "WorkingDir") : null,
                ExposedPorts = config.ValueKind == JsonValueKind.Object && config.TryGetProperty(nameof(ExposedPorts), out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().Select(x => x.Name).Order(StringComparer.Ordinal).ToList()
                    : [],
                DiffIds = root.TryGetProperty("rootfs", out var r) && r.ValueKind == JsonValueKind.Object ? StrList(r, "diff_ids") ?? [] : [],
            };
        }
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string>? StrList(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : null;
}
