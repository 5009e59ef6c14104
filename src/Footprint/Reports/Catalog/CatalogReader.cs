using System.Text.Json;
using Footprint.Formats;

namespace Footprint.Reports.Catalog;

/// <summary>
/// Reads a catalog file field by field, as docs/catalog.schema.json describes it: every object has exactly its known
/// properties (an unknown or repeated one is refused), every string and list is bounded, every number is a
/// non-negative integer, every enumeration has its values. Anything else throws <see cref="FootprintFormatException"/>
/// naming the file and the JSON path ("$.entries[3].sizes.downloadBytes: ..."): a catalog may come from anyone.
/// </summary>
internal static class CatalogReader
{
    /// <summary>Largest catalog file read (the shipped one is a few megabytes).</summary>
    public const int MaxFileBytes = 64 << 20;

    private const int MaxStringLength = 4096;

    private const int MaxListItems = 200_000;


    public static CatalogDocument Document(string source, ReadOnlySpan<byte> json)
    {
        using var document = Parse(source, json);
        var root = new JsonPathNode(source, document.RootElement, "$");
        root.Keys(["schemaVersion", "document", "entries"], ["schemaVersion", "document", "entries"]);
        var schema = root.Get("schemaVersion").String(16);
        if (schema != CatalogDocument.CurrentSchemaVersion)
        {
            throw root.Get("schemaVersion").Error($"schema version {Quote(schema)} is not {CatalogDocument.CurrentSchemaVersion}");
        }

        if (root.Get("document").String(16) != "catalog")
        {
            throw root.Get("document").Error("must be \"catalog\"");
        }

        var entries = root.Get("entries").Array(MaxListItems, Entry);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!names.Add(entries[i].Name))
            {
                throw root.Get("entries").At(i).Get("name").Error($"a second entry named {Quote(entries[i].Name)}");
            }
        }

        return new CatalogDocument { Entries = entries };
    }

    public static CatalogEntry Entry(string source, ReadOnlySpan<byte> json)
    {
        using var document = Parse(source, json);
        return Entry(new JsonPathNode(source, document.RootElement, "$"));
    }

    private static JsonDocument Parse(string source, ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxFileBytes)
        {
            throw new FootprintFormatException(source, null, $"{json.Length} bytes, more than the {MaxFileBytes} a catalog may have");
        }

        // The readers of image metadata parse the same way: invalid UTF-8 refused up front (JsonElement.GetString would throw
        // InvalidOperationException deep in a field, found by the catalog fuzz target), JSON errors naming line and byte.
        return Sources.Image.JsonFields.Parse(json.ToArray(), source);
    }

    private static CatalogEntry Entry(JsonPathNode n)
    {
        n.Keys(["name", "identity", "artifact", "sizes", "libc", "measuredBy"],
            ["name", "identity", "artifact", "sizes", "runningMemory", "libc", "init", "shells", "packageManagers", "packages", "commands", "surfaceScore", "vulnerabilities", "measuredBy"]);
        var name = n.Get("name").String(CatalogNames.MaxLength);
        if (!CatalogNames.IsValid(name))
        {
            throw n.Get("name").Error($"{Quote(name)} is not a valid entry name (1-{CatalogNames.MaxLength} of letters, digits and . _ - + : @ /)");
        }

        return new CatalogEntry
        {
            Name = name,
            Identity = Identity(n.Get("identity")),
            Artifact = Artifact(n.Get("artifact")),
            Sizes = Sizes(n.Get("sizes")),
            RunningMemory = n.Optional("runningMemory") is { } memory ? RunningMemory(memory) : null,
            Libc = Libc(n.Get("libc")),
            Init = n.Optional("init")?.Word(),
            Shells = n.Optional("shells")?.Array(1024, s => s.String(256)) ?? [],
            PackageManagers = n.Optional("packageManagers")?.Array(1024, s => s.String(256)) ?? [],
            Packages = n.Optional("packages")?.Array(MaxListItems, Package) ?? [],
            Commands = n.Optional("commands")?.Array(MaxListItems, s => s.String(1024)) ?? [],
            SurfaceScore = n.Optional("surfaceScore")?.Integer(),
            Vulnerabilities = n.Optional("vulnerabilities") is { } v ? Vulnerabilities(v) : null,
            MeasuredBy = MeasuredBy(n.Get("measuredBy")),
        };
    }

    private static CatalogIdentity Identity(JsonPathNode n)
    {
        n.Keys(["world", "worldReason"], ["osId", "osName", "version", "architecture", "world", "worldReason"]);
        var world = n.Get("world").String(16);
        if (!Worlds.All.Contains(world))
        {
            throw n.Get("world").Error($"{Quote(world)} is not one of {string.Join(", ", Worlds.All)}");
        }

        return new CatalogIdentity(n.Optional("osId")?.String(256), n.Optional("osName")?.String(MaxStringLength), n.Optional("version")?.String(256),
            n.Optional("architecture")?.String(64), world, n.Get("worldReason").String(MaxStringLength));
    }

    private static CatalogArtifact Artifact(JsonPathNode n)
    {
        n.Keys(["input", "kind"], ["input", "kind", "digest"]);
        var kind = n.Get("kind").String(64);
        try
        {
            Sources.SourceKind.Named(kind);
        }
        catch (ArgumentException)
        {
            throw n.Get("kind").Error($"{Quote(kind)} is not an artifact kind footprint reads");
        }

        var digest = n.Optional("digest")?.String(256);
        if (digest is not null && !IsDigest(digest))
        {
            throw n.Get("digest").Error($"{Quote(digest)} is not a sha256:<64 hex digits> digest");
        }

        return new CatalogArtifact(n.Get("input").String(MaxStringLength), kind, digest);
    }

    private static CatalogSizes Sizes(JsonPathNode n)
    {
        n.Keys(["installedApparentBytes", "installedOnDiskBytes"],
            ["downloadBytes", "installedApparentBytes", "installedOnDiskBytes", "ramResidentBytes", "ramResidentToRamBytes"]);
        return new CatalogSizes(n.Optional("downloadBytes")?.Integer(), n.Get("installedApparentBytes").Integer(), n.Get("installedOnDiskBytes").Integer(),
            n.Optional("ramResidentBytes")?.Integer(), n.Optional("ramResidentToRamBytes")?.Integer());
    }

    private static RunningMemory RunningMemory(JsonPathNode n)
    {
        n.Keys(["provenance"], ["provenance", "minimumRamBytes", "minimumRamBoots", "flakyBand", "idleUsedBytes", "idleMeasuredAtBytes", "kernel"]);
        if (n.Get("provenance").String(16) != Catalog.RunningMemory.Measured)
        {
            throw n.Get("provenance").Error("must be \"measured\": published figures belong in catalog/published.json, never in an entry");
        }

        BootTally? boots = null;
        if (n.Optional("minimumRamBoots") is { } b)
        {
            b.Keys(["booted", "tried"], ["booted", "tried"]);
            var booted = b.Get("booted").Integer();
            var tried = b.Get("tried").Integer();
            if (tried is < 1 or > 1000 || booted > tried)
            {
                throw b.Error($"booted {booted} of {tried} tries: tries must be 1-1000 and booted at most tries");
            }

            boots = new BootTally((int)booted, (int)tried);
        }

        ByteRange? band = null;
        if (n.Optional("flakyBand") is { } f)
        {
            f.Keys(["fromBytes", "toBytes"], ["fromBytes", "toBytes"]);
            band = new ByteRange(f.Get("fromBytes").Integer(), f.Get("toBytes").Integer());
            if (band.FromBytes > band.ToBytes)
            {
                throw f.Error("fromBytes is above toBytes");
            }
        }

        var minimum = n.Optional("minimumRamBytes")?.Integer();
        if (minimum is not null && boots is null)
        {
            throw n.Error("minimumRamBytes without minimumRamBoots: a measured minimum names the boots that showed it");
        }

        return new RunningMemory
        {
            MinimumRamBytes = minimum,
            MinimumRamBoots = boots,
            FlakyBand = band,
            IdleUsedBytes = n.Optional("idleUsedBytes")?.Integer(),
            IdleMeasuredAtBytes = n.Optional("idleMeasuredAtBytes")?.Integer(),
            Kernel = n.Optional("kernel")?.String(MaxStringLength),
        };
    }

    private static CatalogLibc Libc(JsonPathNode n)
    {
        n.Keys(["name"], ["name", "version"]);
        var name = n.Get("name").String(32);
        if (!CatalogEntryBuilder.LibcFamilies.Contains(name) && name != "unknown")
        {
            throw n.Get("name").Error($"{Quote(name)} is not one of {string.Join(", ", CatalogEntryBuilder.LibcFamilies)}, unknown");
        }

        return new CatalogLibc(name, n.Optional("version")?.String(256));
    }

    private static CatalogPackage Package(JsonPathNode n)
    {
        n.Keys(["name", "version"], ["name", "version"]);
        return new CatalogPackage(n.Get("name").String(1024), n.Get("version").String(1024));
    }

    private static CatalogVulnerabilities Vulnerabilities(JsonPathNode n)
    {
        n.Keys(["total", "critical", "high"], ["total", "critical", "high", "reachable"]);
        return new CatalogVulnerabilities(n.Get("total").Integer(), n.Get("critical").Integer(), n.Get("high").Integer(), n.Optional("reachable")?.Integer());
    }

    private static CatalogMeasuredBy MeasuredBy(JsonPathNode n)
    {
        n.Keys(["tool", "version", "analyzers"], ["tool", "version", "analyzers"]);
        var analyzers = n.Get("analyzers").Array(1000, a =>
        {
            a.Keys(["id", "version"], ["id", "version"]);
            var version = a.Get("version").Integer();
            return new AnalyzerVersion(a.Get("id").Word(), version > int.MaxValue ? throw a.Get("version").Error("too large") : (int)version);
        });
        return new CatalogMeasuredBy(n.Get("tool").String(64), n.Get("version").String(64), analyzers);
    }

    private static bool IsDigest(string digest)
        => digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71 && digest[7..].All(char.IsAsciiHexDigitLower);

    private static string Quote(string value) => "\"" + (value.Length > 64 ? value[..64] + "..." : value) + "\"";
}
