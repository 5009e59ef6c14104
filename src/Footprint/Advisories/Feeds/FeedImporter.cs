using System.Text;
using Footprint.Advisories.Model;
using Footprint.Formats;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// Reads one feed file of any supported kind, detected by content (not by name): a zip is an OSV export; text that
/// opens with "[DD Mon YYYY] DSA-" or "DLA-" a Debian list; JSON by its keys (<c>packages</c> and
/// <c>distroversion</c>: Alpine secdb; <c>packages</c> alone: Wolfi/Chainguard secdb; <c>id</c> with
/// <c>affected</c> or <c>modified</c>: OSV; source → CVE → <c>releases</c>: the Debian tracker); YAML likewise
/// (<c>distroversion</c>: Alpine secfixes; <c>package</c> and <c>advisories</c>: Wolfi advisories).
/// </summary>
public static class FeedImporter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static FeedBatch Import(string path, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi")
    {
        limits ??= FeedLimits.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        var got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (IsZip(magic[..got]))
        {
            return OsvZipImporter.Import(stream, path, limits);
        }

        if (stream.Length > limits.MaxFileBytes)
        {
            throw new FootprintFormatException(path, null, $"{stream.Length} bytes, larger than the {limits.MaxFileBytes} a text feed may be");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Import(bytes, path, limits, advisoryYamlDistro);
    }

    public static FeedBatch Import(ReadOnlyMemory<byte> bytes, string file, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi")
    {
        limits ??= FeedLimits.Default;
        if (IsZip(bytes.Span))
        {
            using var zip = new MemoryStream(bytes.ToArray(), writable: false);
            return OsvZipImporter.Import(zip, file, limits);
        }

        if (bytes.Length > limits.MaxFileBytes)
        {
            throw new FootprintFormatException(file, null, $"{bytes.Length} bytes, larger than the {limits.MaxFileBytes} a text feed may be");
        }

        var span = bytes.Span;
        var start = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(span[start..]);
        }
        catch (DecoderFallbackException e)
        {
            throw new FootprintFormatException(file, e.Index >= 0 ? start + e.Index : null, "not UTF-8 text, and not a zip");
        }

        var trimmed = text.AsSpan().TrimStart();
        if (DebianListImporter.LooksLikeList(trimmed[..Math.Min(trimmed.Length, 256)]))
        {
            return DebianListImporter.Import(text, file);
        }

        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            var (document, root) = FeedJson.Parse(bytes[start..], file);
            using (document)
            {
                return ImportJson(root);
            }
        }

        var yaml = YamlTree.Load(text, file);
        if (yaml.Kind == FeedNodeKind.Mapping && yaml.Get("packages") is not null && yaml.Get("distroversion") is not null)
        {
            return SecfixesImporter.Import(yaml, FeedKind.AlpineSecfixesYaml);
        }

        if (yaml.Kind == FeedNodeKind.Mapping && yaml.Get("package") is not null && yaml.Get("advisories") is not null)
        {
            return WolfiAdvisoryImporter.Import(yaml, advisoryYamlDistro);
        }

        throw new FootprintFormatException(file, null, "not a known advisory feed (Alpine secfixes, Wolfi advisories, Debian DSA/DLA list, Debian tracker JSON, secdb JSON, OSV)");
    }

    private static FeedBatch ImportJson(FeedNode root)
    {
        if (root.Kind == FeedNodeKind.Mapping)
        {
            if (root.Get("packages") is not null)
            {
                return SecfixesImporter.Import(root, root.Get("distroversion") is not null ? FeedKind.AlpineSecdbJson : FeedKind.ApkSecdbJson);
            }

            if (root.Get("id") is not null && (root.Get("affected") is not null || root.Get("modified") is not null))
            {
                return OsvImporter.Import(root);
            }

            var first = root.Entries().FirstOrDefault().Value;
            var firstCve = first?.Kind == FeedNodeKind.Mapping ? first.Entries().FirstOrDefault().Value : null;
            if (firstCve?.Kind == FeedNodeKind.Mapping && firstCve.Get("releases") is not null)
            {
                return DebianTrackerImporter.Import(root);
            }
        }

        throw root.Error("not a known advisory feed (JSON: Alpine/Wolfi secdb, Debian tracker, OSV record)");
    }

    private static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8);
}
