using System.Globalization;
using Footprint.Reports;
using Footprint.Reports.Sarif;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>Vulnerabilities for the terminal: the release and its data, counts by severity and status, then every finding, worst first.</summary>
internal static class VulnsTable
{
    public static IRenderable Render(Report report) => new Rows(report.Artifacts.Select(RenderArtifact));

    private static IRenderable RenderArtifact(ArtifactReport a)
    {
        if (a.Vulnerabilities is not { } v)
        {
            return new Markup($"[bold]{TerminalText.Cell(a.Input)}[/]: no vulnerability report\n");
        }

        var release = v.Distro is null ? "no distro release" : $"{v.Distro} {v.Release}";
        if (!v.Covered)
        {
            return new Markup($"[bold]{TerminalText.Cell(a.Input)}[/] ({TerminalText.Cell(release)}): [yellow]not covered[/]: {TerminalText.Cell(v.NotCoveredReason ?? string.Empty)}. "
                + "Nothing is known about its vulnerabilities; that is not the same as none.\n");
        }

        var parts = new List<IRenderable>
        {
            new Markup($"[bold]{TerminalText.Cell(a.Input)}[/] ({TerminalText.Cell(release)}): {Plural.Of(v.Findings.Count, "finding")}; "
                + $"data: {TerminalText.Cell(string.Join(", ", v.Feeds.Select(f => f.Feed + (f.Date is null ? string.Empty : " " + f.Date[..Math.Min(10, f.Date.Length)]))))}\n"),
        };
        if (v.Suppressed is { } suppressed)
        {
            // The counts below leave these out; the findings table still lists them, marked.
            parts.Add(new Markup(TerminalText.Cell($"{Plural.Of(suppressed, "finding")} suppressed by VEX or ignore files"
                + (v.SuppressedBy is { Count: > 0 } by ? ": " + string.Join(", ", by.Select(kv => $"{kv.Value} by {kv.Key}")) : string.Empty)
                + "; not counted below and never trips a gate") + "\n"));
        }

        var counts = new Table().Border(TableBorder.Rounded).AddColumn("Severity").AddColumn(new TableColumn("Findings").RightAligned());
        foreach (var (severity, n) in v.BySeverity.OrderByDescending(kv => SarifWriter.Rank(kv.Key)))
        {
            counts.AddRow(TerminalText.Cell(severity), n.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (status, n) in v.ByStatus.Where(kv => kv.Key != "affected"))
        {
            counts.AddRow(TerminalText.Cell("status " + status), n.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (reach, n) in v.ByReachability ?? new Dictionary<string, int>())
        {
            counts.AddRow(TerminalText.Cell("reachability " + reach), n.ToString(CultureInfo.InvariantCulture));
        }

        parts.Add(counts);
        if (v.Findings.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Package").AddColumn("Version").AddColumn("Vulnerability").AddColumn("Severity").AddColumn("Status").AddColumn("Fix").AddColumn("Fixed in")
                .AddColumn("Reachability");
            var withVex = v.Suppressed is not null;
            if (withVex)
            {
                table.AddColumn("VEX");
            }

            // Loaded first (the report's order), then the worst severity.
            foreach (var f in v.Findings.OrderBy(f => Analyzers.Vulnerabilities.VulnerabilityAnalyzer.ReachRank(f.Reachability)).ThenByDescending(f => SarifWriter.Rank(f.Severity))
                .ThenBy(f => f.Package, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal))
            {
                var cells = new List<string>
                {
                    TerminalText.Cell(f.Package), TerminalText.Cell(f.Version), TerminalText.Cell(f.Id), TerminalText.Cell(f.Severity),
                    TerminalText.Cell(f.Status), TerminalText.Cell(Fix(f.FixState)), TerminalText.Cell(string.Join(", ", f.FixedVersions)),
                    TerminalText.Cell(f.Reachability ?? "-"),
                };
                if (withVex)
                {
                    cells.Add(TerminalText.Cell(f.Vex is { } x ? x.Status + (x.Suppressed ? " (suppressed)" : string.Empty) : "-"));
                }

                table.AddRow([.. cells]);
            }

            parts.Add(table);
        }

        return new Rows(parts);
    }

    private static string Fix(string state) => state switch
    {
        "fixed" => "available",
        "unfixed" => "none yet",
        "wont-fix" => "won't fix",
        "end-of-life" => "end of life",
        _ => state,
    };
}
