namespace Footprint.Reports.Comparisons;

/// <summary>
/// Builds a <see cref="Comparison"/> from measure reports. It reads only the reports: every figure is the one the
/// report carries, so a comparison can never disagree with `measure -f json` of the same artifact.
/// </summary>
public static class ComparisonBuilder
{
    public const string WinRule = "smaller wins for sizes, RAM, surface score and vulnerability counts; ties all win; "
        + "a row is ranked only when at least two artifacts have the figure; package and file counts are shown, not ranked";

    /// <summary>The figures in table order: (id, label, unit, ranked, value of a report).</summary>
    private static readonly (string Id, string Label, string Unit, bool Ranked, Func<ArtifactReport, long?> Value)[] Figures =
    [
        ("download-bytes", "download", "bytes", true, a => a.Download.TotalBytes),
        ("installed-apparent-bytes", "installed (apparent)", "bytes", true, a => a.Installed.ApparentBytes),
        ("installed-on-disk-bytes", "installed (on disk)", "bytes", true, a => a.Installed.OnDiskBytes),
        ("ram-resident-minimum-bytes", "RAM-resident (minimum)", "bytes", true, a => a.RamResident?.MinimumBytes),
        ("ram-resident-toram-bytes", "RAM-resident (toram)", "bytes", true, a => a.RamResident?.ToRamBytes),
        ("running-idle-used-bytes", "running: idle used", "bytes", true, a => a.RunningMemory?.Idle?.UsedKiB * 1024),
        ("running-minimum-ram-bytes", "running: minimum RAM", "bytes", true, a => a.RunningMemory?.MinimumRam?.MinimumMiB * (1L << 20)),
        ("surface-score", "surface score", "points", true, a => a.Surface?.Score.Total),
        ("vulnerabilities", "vulnerabilities", "findings", true, a => Severity(a, null)),
        ("vulnerabilities-critical", "  critical", "findings", true, a => Severity(a, "critical")),
        ("vulnerabilities-high", "  high", "findings", true, a => Severity(a, "high")),
        ("packages", "packages", "count", false, a => a.Inventory?.Packages.Count),
        ("files", "files", "count", false, a => a.Installed.Files),
    ];

    /// <summary>Compares <paramref name="reports"/>; with <paramref name="baseline"/>, every row also gets differences from that artifact.</summary>
    public static Comparison Build(IReadOnlyList<ArtifactReport> reports, ToolInfo tool, int? baseline = null)
    {
        if (baseline is { } b && (b < 0 || b >= reports.Count))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "the baseline must be one of the compared artifacts");
        }

        return new Comparison
        {
            Tool = tool,
            Rule = WinRule,
            Baseline = baseline,
            Artifacts = reports.Select(Describe).ToList(),
            Rows = Rows(reports, baseline),
        };
    }

    /// <summary>The ranked and shown figures of <paramref name="reports"/>; rows whose figure no report has are left out.</summary>
    public static IReadOnlyList<ComparisonRow> Rows(IReadOnlyList<ArtifactReport> reports, int? baseline)
    {
        var rows = new List<ComparisonRow>();
        foreach (var (id, label, unit, ranked, value) in Figures)
        {
            var values = reports.Select(value).ToList();
            if (values.All(v => v is null))
            {
                continue;
            }

            rows.Add(new ComparisonRow(id, label, unit, ranked ? "smaller" : null, values, ranked ? Winners(values) : [],
                baseline is { } b ? values.Select(v => v is { } x && values[b] is { } y ? x - y : (long?)null).ToList() : null));
        }

        return rows;
    }

    public static ComparedArtifact Describe(ArtifactReport a)
    {
        var os = a.Identity.Os;
        var name = os?.PrettyName ?? os?.Name ?? os?.Id;
        // The exact release when the name does not hold it ("Alpine Linux v3.20, release 3.20.3"), as measure prints it.
        if (name is not null && os?.DistroVersion is { Length: > 0 } release && !name.Contains(release, StringComparison.OrdinalIgnoreCase))
        {
            name += ", release " + release;
        }

        var libc = a.Lint?.Libc is { } l ? l.Version is { } lv ? $"{l.Name} {lv}" : l.Name : null;
        return new ComparedArtifact(a.Input, a.Kind, name, a.Identity.Architecture?.Value, libc, a.Surface?.Init.System,
            a.Surface?.Shells.Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            a.Surface?.PackageManagers.Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            a.Inventory?.Packages.Count);
    }

    /// <summary>The smallest value's indexes, when at least two artifacts have the figure.</summary>
    private static List<int> Winners(List<long?> values)
    {
        if (values.Count(v => v is not null) < 2)
        {
            return [];
        }

        var best = values.Where(v => v is not null).Min();
        return Enumerable.Range(0, values.Count).Where(i => values[i] == best).ToList();
    }

    /// <summary>Counted findings (all severities, or one); null when no database was given or it does not cover the release.</summary>
    private static long? Severity(ArtifactReport a, string? severity)
        => a.Vulnerabilities is { Covered: true } v
            ? severity is null ? v.BySeverity.Values.Sum() : v.BySeverity.GetValueOrDefault(severity)
            : null;
}
