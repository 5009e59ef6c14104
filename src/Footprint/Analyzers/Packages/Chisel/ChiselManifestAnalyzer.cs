using System.Text;
using System.Text.Json;
using Footprint.FileSystem;
using Footprint.Formats.Compression;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Chisel;

/// <summary>
/// Ubuntu "chiselled" root filesystems: the manifest Chisel writes when the base-files_chisel slice is installed,
/// var/lib/chisel/manifest.wall (canonical/chisel docs, reference/manifest and explanation/jsonwall). The file is
/// zstd-compressed "jsonwall": one JSON object per line, first a header {"jsonwall":"1.0","schema":"1.0","count":N},
/// then entries sorted by kind: "content" (slice, path), "package" (name, version, sha256, arch),
/// "path" (path, mode, slices[], sha256, final_sha256, size, link, inode) and "slice" (name "PACKAGE_SLICE").
/// A package's files are the paths of its slices (slice names are PACKAGE_SLICE, and Debian package names
/// cannot contain '_', so the package is the part before the first '_').
/// </summary>
/// <remarks>
/// The packages are Ubuntu's own .debs, so the purl is the registered deb type, pkg:deb/ubuntu/NAME@VERSION?arch=ARCH,
/// as for a dpkg database; the ecosystem stays "chisel" because only slices of each package are installed.
/// Decompression is guarded: at most <see cref="MaxManifestBytes"/> of JSON, and the compressed file is read up to
/// the database capture bound only.
/// </remarks>
public sealed class ChiselManifestAnalyzer : IPackageDatabaseAnalyzer
{
    /// <summary>The pre-defined location (base-files_chisel: /var/lib/chisel/**: {generate: manifest}).</summary>
    public const string ManifestPath = "var/lib/chisel/manifest.wall";

    /// <summary>Largest decompressed manifest read: a full Ubuntu base is about 1 MiB of JSON.</summary>
    public const long MaxManifestBytes = 64L << 20;

    private readonly List<(string Path, int Layer, byte[] Bytes)> _manifests = [];
    private readonly List<PackageUnknown> _unknowns = [];

    public string Id => "chisel-manifest";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && path == ManifestPath ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (Required(path, node) == ContentNeed.None)
        {
            return;
        }

        if (content is null)
        {
            _unknowns.Add(new PackageUnknown("/" + path, 0, "content not available"));
            return;
        }

        try
        {
            using var stream = content.Open();
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, DatabaseText.MaxDatabaseBytes + 1L - copy.Length))) > 0)
            {
                copy.Write(buffer, 0, n);
            }

            if (!content.IsComplete || copy.Length > DatabaseText.MaxDatabaseBytes)
            {
                _unknowns.Add(new PackageUnknown("/" + path, 0, $"larger than {DatabaseText.MaxDatabaseBytes} bytes compressed: not read"));
                return;
            }

            _manifests.Add((path, node.LayerIndex, copy.ToArray()));
        }
        catch (IOException e)
        {
            _unknowns.Add(new PackageUnknown("/" + path, 0, "unreadable: " + e.Message));
        }
    }

    public PackageInventory Result()
    {
        var unknowns = new List<PackageUnknown>(_unknowns);
        var packages = new List<Package>();
        foreach (var (path, layer, bytes) in _manifests)
        {
            packages.AddRange(Parse("/" + path, layer, bytes, unknowns));
        }

        packages = DatabaseSet.Deduplicate(packages, p => p.Name, unknowns);
        return new PackageInventory("chisel", packages, unknowns, _manifests.Select(m => "/" + m.Path).ToList());
    }

    private static List<Package> Parse(string display, int layer, byte[] bytes, List<PackageUnknown> unknowns)
    {
        var records = new List<(int Line, string Name, string Version, string? Arch)>();
        var filesBySlice = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var limits = new DecompressionLimits { MaxOutputBytes = MaxManifestBytes };
        var number = 0;
        try
        {
            using var input = new MemoryStream(bytes, writable: false);
            using var json = Decompression.Open(input, display, limits, out var kind);
            if (kind != CompressionKind.Zstd)
            {
                unknowns.Add(new PackageUnknown(display, 0, $"not zstd-compressed ({kind})"));
                return [];
            }

            using var reader = new StreamReader(json, new UTF8Encoding(false, false));
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var o = doc.RootElement;
                    if (o.ValueKind != JsonValueKind.Object)
                    {
                        unknowns.Add(new PackageUnknown(display, number, "not a JSON object"));
                        continue;
                    }

                    if (number == 1)
                    {
                        if (!o.TryGetProperty("jsonwall", out _))
                        {
                            unknowns.Add(new PackageUnknown(display, number, "first line is not a jsonwall header"));
                        }

                        continue;
                    }

                    switch (Text(o, "kind"))
                    {
                        case "package":
                            if (Text(o, "name") is { Length: > 0 } name && Text(o, "version") is { Length: > 0 } version)
                            {
                                records.Add((number, name, version, Text(o, "arch")));
                            }
                            else
                            {
                                unknowns.Add(new PackageUnknown(display, number, "package entry without name or version"));
                            }

                            break;
                        case "path":
                            if (Text(o, "path") is { } p && o.TryGetProperty("slices", out var slices) && slices.ValueKind == JsonValueKind.Array)
                            {
                                foreach (var s in slices.EnumerateArray())
                                {
                                    if (s.ValueKind == JsonValueKind.String)
                                    {
                                        AddFile(s.GetString()!, p);
                                    }
                                }
                            }

                            break;
                        case "content":
                            if (Text(o, "slice") is { } slice && Text(o, "path") is { } cp)
                            {
                                AddFile(slice, cp);
                            }

                            break;
                        default:
                            break;
                    }
                }
                catch (JsonException e)
                {
                    unknowns.Add(new PackageUnknown(display, number, "not JSON: " + e.Message));
                }
            }
        }
        catch (IOException e)
        {
            unknowns.Add(new PackageUnknown(display, number, "manifest unreadable after this line: " + e.Message));
        }

        return records.Select(r =>
        {
            var prefix = r.Name + "_";
            var files = filesBySlice.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(s => s.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new Package("chisel", r.Name, r.Version, r.Arch, null, null, null, [], files,
                PackageUrl.Build("deb", "ubuntu", r.Name, r.Version, [new("arch", r.Arch)]), new PackageEvidence(display, r.Line, layer));
        }).ToList();

        void AddFile(string slice, string path)
        {
            if (ImagePath.Normalize(path) is { Length: > 0 } file)
            {
                if (!filesBySlice.TryGetValue(slice, out var set))
                {
                    filesBySlice[slice] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add(file);
            }
        }
    }

    private static string? Text(JsonElement o, string property)
        => o.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
