using System.Reflection;
using Footprint.Pipeline;
using Footprint.Reports.Comparisons;

namespace Footprint.Reports.Catalog;

/// <summary>
/// Builds a <see cref="CatalogEntry"/> from an artifact's measure report. The figures and the identity are read
/// exactly as `compare` reads them (<see cref="ComparisonBuilder.Rows"/> and <see cref="ComparisonBuilder.Describe"/>),
/// so an entry can never disagree with `compare` or `measure -f json` of the same artifact.
/// </summary>
public static class CatalogEntryBuilder
{
    /// <summary>Footprint's version as `footprint --version` prints it (without the commit).</summary>
    public static string ToolVersion { get; } =
        typeof(CatalogEntryBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The C library families `choose --libc` accepts.</summary>
    public static readonly IReadOnlyList<string> LibcFamilies = ["glibc", "musl", "uclibc", "none"];

    /// <param name="report">The artifact's measure report.</param>
    /// <param name="input">The artifact as given (stored as is: catalog/build.sh gives paths relative to the repository).</param>
    /// <param name="digest">The artifact's digest (<see cref="ArtifactFacts"/>).</param>
    /// <param name="commands">The commands on its PATH (<see cref="ArtifactFacts"/>).</param>
    /// <param name="options">The options it was measured with (for the analyzers that ran).</param>
    /// <param name="name">--name, or null for the default name.</param>
    /// <param name="world">--world, or null for the rule of <see cref="Worlds"/>.</param>
    public static CatalogEntry Build(ArtifactReport report, string input, string? digest, IReadOnlyList<string> commands, MeasureOptions options, string? name = null, string? world = null)
    {
        var described = ComparisonBuilder.Describe(report);
        var figures = ComparisonBuilder.Rows([report], null).ToDictionary(r => r.Id, r => r.Values[0], StringComparer.Ordinal);
        long? Figure(string id) => figures.GetValueOrDefault(id);

        var os = report.Identity.Os;
        var version = os?.DistroVersion ?? os?.VersionId ?? os?.Version;
        var (decided, reason) = Worlds.Decide(report.Kind, os?.Id, os?.Name, described.Init, world);
        var analysis = options.ToAnalysisOptions();
        var ran = options.Analyzers.Apply(AnalyzerRegistry.Create(analysis), analysis).Run;
        return new CatalogEntry
        {
            Name = name ?? DefaultName(report, input, version),
            Identity = new CatalogIdentity(os?.Id, described.Os, version, described.Architecture, decided, reason),
            Artifact = new CatalogArtifact(input, report.Kind, digest),
            Sizes = new CatalogSizes(Figure("download-bytes"), report.Installed.ApparentBytes, report.Installed.OnDiskBytes,
                Figure("ram-resident-minimum-bytes"), Figure("ram-resident-toram-bytes")),
            Libc = Libc(report),
            Init = described.Init,
            Shells = described.Shells ?? [],
            PackageManagers = described.PackageManagers ?? [],
            Packages = (report.Inventory?.Packages ?? []).Select(p => new CatalogPackage(p.Name, p.Version))
                .Distinct().OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal).ToList(),
            Commands = commands,
            RunningMemory = Running(report.RunningMemory),
            SurfaceScore = Figure("surface-score"),
            Vulnerabilities = Figure("vulnerabilities") is { } total
                ? new CatalogVulnerabilities(total, Figure("vulnerabilities-critical") ?? 0, Figure("vulnerabilities-high") ?? 0,
                    report.Vulnerabilities?.ByReachability is { } reach ? reach.GetValueOrDefault("loaded") : null)
                : null,
            MeasuredBy = new CatalogMeasuredBy("footprint", ToolVersion,
                ran.Select(p => new AnalyzerVersion(p.Id, p.Version)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList()),
        };
    }

    /// <summary>The booted system's figures (`catalog add --boot`), from the report's running memory; null when it was not booted or did not boot.</summary>
    private static RunningMemory? Running(Measures.Running.RunningMemoryReport? running)
    {
        if (running is not { Booted: true })
        {
            return null;
        }

        const long MiB = 1L << 20;
        var minimum = running.MinimumRam;
        return new RunningMemory
        {
            MinimumRamBytes = minimum?.MinimumMiB * MiB,
            MinimumRamBoots = minimum is { MinimumMiB: not null } m ? new BootTally(m.Repeats, m.Repeats) : null,
            FlakyBand = minimum is { FlakyMiB: [_, ..] flaky } ? new ByteRange(flaky.Min() * MiB, flaky.Max() * MiB) : null,
            IdleUsedBytes = running.Idle?.UsedKiB * 1024,
            IdleMeasuredAtBytes = running.Idle is { } idle ? idle.MachineMiB * MiB : null,
            Kernel = running.KernelVersion,
        };
    }

    /// <summary>
    /// The C library family: the lint section's name folded to glibc, musl or uclibc (uClibc-ng counts as uclibc), and
    /// "none" when the lint section ran and found none (a static binary on scratch); "unknown" when lint did not run.
    /// </summary>
    private static CatalogLibc Libc(ArtifactReport report)
    {
        if (report.Lint is null)
        {
            return new CatalogLibc("unknown", null);
        }

        if (report.Lint.Libc is not { } libc)
        {
            return new CatalogLibc("none", null);
        }

        var name = libc.Name.ToLowerInvariant();
        var family = name.Contains("musl", StringComparison.Ordinal) ? "musl"
            : name.Contains("uclibc", StringComparison.Ordinal) ? "uclibc"
            : name.Contains("glibc", StringComparison.Ordinal) || name.Contains("gnu", StringComparison.Ordinal) ? "glibc"
            : name;
        return new CatalogLibc(family, libc.Version);
    }

    /// <summary>os id, release and architecture ("alpine-3.20.3-amd64"); without an os id, the input's file name.</summary>
    private static string DefaultName(ArtifactReport report, string input, string? version)
    {
        var os = report.Identity.Os?.Id;
        var arch = report.Identity.Architecture?.Value;
        List<string> parts = os is null
            ? [Path.GetFileName(input.TrimEnd('/')) is { Length: > 0 } file ? file : input]
            : new[] { os, version }.Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
        if (arch is not null)
        {
            parts.Add(arch);
        }

        return CatalogNames.Clean(string.Join('-', parts));
    }
}
