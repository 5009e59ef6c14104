using System.Text;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;

namespace Footprint.Fuzz;

/// <summary>
/// The advisory feed importers (src/Footprint/Advisories/Feeds). Each target runs every importer of its format on
/// the input, so one mutated document reaches all of them; a rejection by one importer does not stop the next.
/// </summary>
internal static class AdvisoryTargets
{
    /// <summary>Zip limits small enough that a bomb is refused in milliseconds.</summary>
    private static readonly FeedLimits ZipLimits = new() { MaxZipEntries = 1000, MaxZipEntryBytes = 1 << 20, MaxZipTotalBytes = 8 << 20, ZipRatioGraceBytes = 1 << 20 };

    /// <summary>YAML (Alpine secfixes, Wolfi advisories) and the text lists (Debian DSA/DLA).</summary>
    public static void Yaml(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        Attempt(() => DebianListImporter.Import(text, "fuzz"));
        var root = YamlTree.Load(text, "fuzz");
        Attempt(() => SecfixesImporter.Import(root, FeedKind.AlpineSecfixesYaml));
        Attempt(() => WolfiAdvisoryImporter.Import(root));
    }

    /// <summary>JSON (Alpine and Wolfi secdb, the Debian tracker, OSV records, the update manifest), and detection.</summary>
    public static void Json(byte[] input)
    {
        Attempt(() => FeedImporter.TryImport(input, "fuzz"));
        Attempt(() => Footprint.Advisories.Update.UpdateManifest.Parse(input, new Uri("http://127.0.0.1/manifest.json")));
        var (document, root) = FeedJson.Parse(input, "fuzz");
        using (document)
        {
            Attempt(() => SecfixesImporter.Import(root, FeedKind.AlpineSecdbJson));
            Attempt(() => SecfixesImporter.Import(root, FeedKind.ApkSecdbJson));
            Attempt(() => DebianTrackerImporter.Import(root));
            Attempt(() => OsvImporter.Import(root));
        }
    }

    /// <summary>OSV all.zip exports.</summary>
    public static void OsvZip(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        _ = OsvZipImporter.Import(stream, "fuzz", ZipLimits);
    }

    private static void Attempt(Func<object?> import)
    {
        try
        {
            _ = import();
        }
        catch (FootprintFormatException)
        {
        }
    }
}
