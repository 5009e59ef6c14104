using Footprint.Analyzers.Installed;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Inventory;
using Footprint.Reports;
using Footprint.Walk;

namespace Footprint.Tests.Reports.Comparisons;

/// <summary>Small hand-made reports for the comparison model's unit tests: only the fields a test sets matter.</summary>
internal static class Sample
{
    public static readonly ToolInfo Tool = new("footprint", "test");

    public static ArtifactReport Report(string input, long apparent, long? download = null, IReadOnlyList<PackageReport>? packages = null,
        IReadOnlyList<FileReport>? files = null, IReadOnlyList<DownloadLayerReport>? layers = null)
        => new()
        {
            Input = input,
            Kind = "rootfs-tar",
            Identity = new IdentityReport(null, null),
            Download = new DownloadReport { TotalBytes = download, Method = "file", Explanation = "test", Layers = layers ?? [] },
            Installed = new InstalledReport { ApparentBytes = apparent, OnDiskBytes = apparent, TopDirectories = [], LargestFiles = [], Layers = [] },
            Inventory = packages is null ? null : new InventoryReport { Databases = [], Packages = packages, Unknowns = [] },
            Files = files,
            Warnings = [],
        };

    public static PackageReport Package(string ecosystem, string name, string version, long? declared = null)
        => new()
        {
            Ecosystem = ecosystem,
            Name = name,
            Version = version,
            Purl = $"pkg:{ecosystem}/{name}@{version}",
            DeclaredBytes = declared,
            Grade = "database-and-files",
            Evidence = new Evidence("lib/apk/db/installed", 0, "test"),
        };

    public static FileReport File(string path, long bytes, string sha256) => new(path, bytes, 0, "sha1", sha256, []);

    public static DownloadLayerReport Layer(int index, string diffId) => new() { Index = index, DiffId = diffId, Compression = "gzip", Method = "stored", DownloadBytes = 100 + index };
}
