using Footprint.Analyzers.Identity;
using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// RPM packages from the rpm database, in any of its three formats (SQLite, BerkeleyDB hash, NDB), at the
/// paths rpm uses: /var/lib/rpm (classic) and /usr/lib/sysimage/rpm (newer Fedora, openSUSE).
/// </summary>
public sealed class RpmDatabaseAnalyzer : IAnalyzer, IProducer<PackageInventory>, ILayerAttributed
{
    public static readonly IReadOnlySet<string> DatabasePaths = new HashSet<string>(StringComparer.Ordinal)
    {
        "var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages", "var/lib/rpm/Packages.db",
        "usr/lib/sysimage/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db",
    };

    private readonly List<(string Path, int Layer, IFileContent Content)> _found = [];

    public string Id => "rpm-db";

    public int Version => 1;

    public IReadOnlyList<string> LayerDatabasePaths { get; } = DatabasePaths.Order(StringComparer.Ordinal).ToList();

    /// <summary>A copy that is not a readable rpm database attributes nothing (the squashed view's copy is what reports it).</summary>
    public IEnumerable<(string Name, string Version)> InstalledIn(string display, int layer, CapturedContent content)
    {
        try
        {
            return RpmDatabase.Read(content.Bytes.Span, display).Headers
                .Select(h => (h.Name, (h.Epoch is { } e ? $"{e}:" : string.Empty) + h.Version + "-" + h.Release + "." + h.Arch)).ToList();
        }
        catch (Formats.FootprintFormatException)
        {
            return [];
        }
    }

    public IReadOnlyList<Type> Consumes => [typeof(OsIdentity)];

    public PackageInventory Produce(AnalysisContext context) => Result(context.Get<OsIdentity>()?.Os?.Id) with { Layers = LayerAttribution.Of(context.View, this) };

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && DatabasePaths.Contains(path) ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (content is not null && Required(path, node) != ContentNeed.None)
        {
            _found.Add((path, node.Data?.LayerIndex ?? node.LayerIndex, content));
        }
    }

    /// <param name="distro">purl namespace (os-release ID: fedora, centos, rhel, mariner...).</param>
    public PackageInventory Result(string? distro)
    {
        var packages = new List<Package>();
        var unknowns = new List<PackageUnknown>();
        foreach (var (path, layer, content) in _found)
        {
            var where = "/" + path;
            if (!content.IsComplete)
            {
                unknowns.Add(new PackageUnknown(where, 0, $"database larger than the {ContentLimits.MaxWholeBytes} bytes kept from a layer; not read"));
                continue;
            }

            try
            {
                using var stream = content.Open();
                var db = RpmDatabase.Read(stream, where);
                unknowns.AddRange(db.Unknowns.Select(u => new PackageUnknown(where, 0, $"record at offset {u.Offset}: {u.Reason}")));
                foreach (var h in db.Headers)
                {
                    var version = (h.Epoch is { } e ? $"{e}:" : string.Empty) + h.Version + (h.Release is { Length: > 0 } r ? "-" + r : string.Empty);
                    var qualifiers = new List<KeyValuePair<string, string?>> { new("arch", h.Arch), new("epoch", h.Epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("distro", distro) };
                    packages.Add(new Package("rpm", h.Name, version, h.Arch, h.SourceRpm, h.License, h.SizeBytes, h.Requires, h.Files,
                        PackageUrl.Build("rpm", distro ?? "rpm", h.Name, h.Version + (h.Release is { Length: > 0 } rel ? "-" + rel : string.Empty), qualifiers),
                        new PackageEvidence(where, 0, layer), Provides: h.Provides,
                        SourceVersion: SourcePackage.SplitSourceRpm(h.SourceRpm) is { } srpm ? (h.Epoch is { } se ? $"{se}:" : string.Empty) + srpm.Version : null));
                }
            }
            catch (Formats.FootprintFormatException ex)
            {
                unknowns.Add(new PackageUnknown(where, 0, ex.Message));
            }
        }

        return new PackageInventory("rpm", packages, unknowns, _found.Select(f => "/" + f.Path).ToList());
    }
}
