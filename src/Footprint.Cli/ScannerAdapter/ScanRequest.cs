using System.Text.Json;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// The body of `POST /api/v1/scan` (the spec's ScanRequest: `registry` {url, authorization} and `artifact`
/// {repository, digest, tag, mime_type}) turned into a <see cref="ScanJob"/>, or refused with the status the spec
/// gives: 400 for a body that is not a ScanRequest, 422 for one whose fields are unusable, 501 for an artifact type
/// not scanned. A pure function of the bytes (fuzzed: fuzz/Footprint.Fuzz/ScanRequestTarget.cs).
/// </summary>
internal static class ScanRequest
{
    /// <summary>A scan request is a few hundred bytes; a body past this is refused before it is read.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>JSON nesting accepted: the request is two levels deep; deeper input is refused, not recursed into.</summary>
    public const int MaxDepth = 16;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The job <paramref name="body"/> asks for, given the id <paramref name="id"/>; a <see cref="ScanRequestException"/> otherwise.</summary>
    public static ScanJob Parse(ReadOnlySpan<byte> body, string id)
    {
        if (body.Length > MaxRequestBytes)
        {
            throw new ScanRequestException(400, $"a scan request is at most {MaxRequestBytes} bytes");
        }

        JsonDocument document;
        try
        {
            // A document, not JsonNode: JsonObject throws ArgumentException on a repeated member name ("registry" twice),
            // which is bad input, not an internal error. Here the last one wins, as most JSON readers do.
            // Parse, not ParseValue: text after the object is refused too. The copy is at most MaxRequestBytes.
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            throw new ScanRequestException(400, "the scan request is not valid JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Member(root, "registry") is not { ValueKind: JsonValueKind.Object } registry
                || Member(root, "artifact") is not { ValueKind: JsonValueKind.Object } artifact)
            {
                throw new ScanRequestException(400, "a scan request is an object with 'registry' and 'artifact' objects");
            }

            var url = Text(registry, "url");
            var repository = Text(artifact, "repository");
            var digest = Text(artifact, "digest");
            var mimeType = Text(artifact, "mime_type") ?? AdapterMediaTypes.OciManifest;
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.Host.Length == 0)
            {
                throw new ScanRequestException(422, "registry.url must be an http or https URL");
            }

            if (string.IsNullOrEmpty(repository) || digest is null || !digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71
                || digest.AsSpan(7).ContainsAnyExcept(LowerHex))
            {
                throw new ScanRequestException(422, "artifact.repository and artifact.digest (sha256:64 hex digits) are required");
            }

            if (mimeType is not (AdapterMediaTypes.OciManifest or AdapterMediaTypes.DockerManifest))
            {
                // The type is the caller's text: printed only as far as it is a plain media type.
                throw new ScanRequestException(501, $"artifacts of type {Printable(mimeType)} are not scanned");
            }

            return new ScanJob(id, url, Text(registry, "authorization"), repository, digest, Text(artifact, "tag"), mimeType);
        }
    }

    /// <summary>The last member named <paramref name="name"/> (a repeated name: the last wins), or null.</summary>
    private static JsonElement? Member(JsonElement o, string name)
    {
        JsonElement? found = null;
        foreach (var p in o.EnumerateObject())
        {
            if (p.NameEquals(name))
            {
                found = p.Value;
            }
        }

        return found;
    }

    /// <summary>A string member's text; null when absent, not a string, or not text (an escaped lone surrogate, "\ud800").</summary>
    private static string? Text(JsonElement o, string name)
    {
        if (Member(o, name) is not { ValueKind: JsonValueKind.String } v)
        {
            return null;
        }

        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Printable(string text)
        => text.Length <= 128 && text.All(c => c is > ' ' and < (char)127) ? text : "(not a media type)";
}
