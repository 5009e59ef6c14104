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
        => TryImport(path, limits, advisoryYamlDistro) ?? throw new FootprintFormatException(path, null, NotAFeed);

    public static FeedBatch Import(ReadOnlyMemory<byte> bytes, string file, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi")
        => TryImport(bytes, file, limits, advisoryYamlDistro) ?? throw new FootprintFormatException(file, null, NotAFeed);

    private const string NotAFeed = "not a known advisory feed (Alpine secfixes YAML or secdb JSON, Wolfi/Chainguard advisory YAML or secdb JSON, Debian DSA/DLA list or tracker JSON, OSV JSON or zip)";

    /// <summary>
    /// Null when the file is not a feed of any kind this reads (binary, other YAML or JSON): a directory import skips
    /// it. A file that is a feed but is malformed throws <see cref="FootprintFormatException"/>.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="limits">Bounds on sizes (default <see cref="FeedLimits.Default"/>).</param>
    /// <param name="advisoryYamlDistro">The distro of Wolfi-format advisory YAML (wolfi or chainguard).</param>
    /// <param name="name">How records and errors name the file (a downloaded feed: its URL); the path by default.</param>
    public static FeedBatch? TryImport(string path, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi", string? name = null)
    {
        limits ??= FeedLimits.Default;
        name ??= path;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        var got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (IsZip(magic[..got]))
        {
            return OsvZipImporter.Import(stream, name, limits);
        }

        if (stream.Length > limits.MaxFileBytes)
        {
            throw new FootprintFormatException(name, null, $"{stream.Length} bytes, larger than the {limits.MaxFileBytes} a text feed may be");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return TryImport(bytes, name, limits, advisoryYamlDistro);
    }

    public static FeedBatch? TryImport(ReadOnlyMemory<byte> bytes, string file, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi")
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
        catch (DecoderFallbackException)
        {
            return null;
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

        YamlFeedNode yaml;
        try
        {
            yaml = YamlTree.Load(text, file);
        }
        catch (FootprintFormatException) when (!MentionsYamlFeedKeys(text))
        {
            // Not YAML, and nothing suggests a YAML feed (the tracker's CVE/list, a README): not a feed at all.
            return null;
        }

        if (yaml.Kind == FeedNodeKind.Mapping && yaml.Get("packages") is not null && yaml.Get("distroversion") is not null)
        {
            return SecfixesImporter.Import(yaml, FeedKind.AlpineSecfixesYaml);
        }

        if (yaml.Kind == FeedNodeKind.Mapping && yaml.Get("package") is not null && yaml.Get("advisories") is not null)
        {
            return WolfiAdvisoryImporter.Import(yaml, advisoryYamlDistro);
        }

        return null;
    }

    private static FeedBatch? ImportJson(FeedNode root)
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

        return null;
    }

    private static bool MentionsYamlFeedKeys(string text)
        => text.Contains("secfixes:", StringComparison.Ordinal) || text.Contains("distroversion:", StringComparison.Ordinal)
            || text.Contains("advisories:", StringComparison.Ordinal);

    private static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8);
}
