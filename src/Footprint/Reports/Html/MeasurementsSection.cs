using System.Globalization;
using System.Text;

namespace Footprint.Reports.Html;

/// <summary>
/// The four measurements of every artifact side by side (download; installed apparent and on disk; RAM-resident;
/// surface and vulnerabilities), as an SVG bar chart of the byte figures and as a table with the method of each.
/// </summary>
public static class MeasurementsSection
{
    private const double ChartWidth = 960;

    private const double LabelWidth = 190;

    private const double BarHeight = 14;

    public static IReadOnlyList<MeasurementRow> Rows(Report report)
    {
        var rows = new List<MeasurementRow>
        {
            new("Download", a => a.Download.TotalBytes is { } t ? ("download.totalBytes", t) : null, true,
                a => $"{a.Download.Method}: {a.Download.Explanation}"),
            new("Installed, apparent", a => ("installed.apparentBytes", a.Installed.ApparentBytes), true,
                _ => "sum of the sizes of the regular files of the final (squashed) view, hard links once"),
            new("Installed, on disk", a => ("installed.onDiskBytes", a.Installed.OnDiskBytes), true,
                a => $"an ext4-like file system with {a.Installed.BlockSizeBytes}-byte blocks: file blocks, directories, symlinks"),
            new("RAM-resident, minimum", a => a.RamResident is { } r ? ("ramResident.minimumBytes", r.MinimumBytes) : null, true,
                a => a.RamResident?.Explanation ?? "not a run-from-RAM system: not measured"),
            new("RAM-resident, all copied to RAM", a => a.RamResident is { } r ? ("ramResident.toRamBytes", r.ToRamBytes) : null, true,
                a => a.RamResident is null ? "not measured" : "with every part copied into RAM (toram, copy2ram)"),
            new("Files", a => ("installed.files", a.Installed.Files), false, _ => "regular files, hard links once"),
            new("Surface score", a => a.Surface is { } s ? ("surface.score.total", s.Score.Total) : null, false,
                a => a.Surface is null ? "surface not analysed" : "weighted points per item class (docs/surface.md); lower is smaller"),
        };
        var severities = report.Artifacts.Where(a => a.Vulnerabilities is not null).SelectMany(a => a.Vulnerabilities!.BySeverity.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var severity in severities)
        {
            rows.Add(new($"Vulnerabilities, {severity}", a => a.Vulnerabilities?.BySeverity.TryGetValue(severity, out var n) == true ? ($"vulnerabilities.bySeverity.{severity}", n) : null, false,
                a => a.Vulnerabilities is { } v ? (v.Covered ? "matched against the advisory database (--db)" : $"not covered: {v.NotCoveredReason}") : "no advisory database given"));
        }

        var reach = report.Artifacts.Where(a => a.Vulnerabilities?.ByReachability is not null).SelectMany(a => a.Vulnerabilities!.ByReachability!.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var r in reach)
        {
            rows.Add(new($"Findings, {r}", a => a.Vulnerabilities?.ByReachability?.TryGetValue(r, out var n) == true ? ($"vulnerabilities.byReachability.{r}", n) : null, false,
                _ => "whether the entrypoints load the package (docs/vulnerabilities.md)"));
        }

        return rows;
    }

    public static void Write(StringBuilder sb, Report report)
    {
        var rows = Rows(report);
        sb.Append("<section id=\"measurements\"><h2>Measurements side by side</h2>");
        Chart(sb, report, rows.Where(r => r.IsBytes).ToList());
        sb.Append("<table class=\"measurements\"><thead><tr><th>Measurement</th>");
        for (var i = 0; i < report.Artifacts.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th><span class=\"swatch s{i % 6}\"></span>").Append(HtmlText.Encode(report.Artifacts[i].Input)).Append("</th>");
        }

        sb.Append("<th>Method</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr><th scope=\"row\">").Append(HtmlText.Encode(row.Label)).Append("</th>");
            for (var i = 0; i < report.Artifacts.Count; i++)
            {
                sb.Append("<td class=\"num\">").Append(Figure(row, report.Artifacts[i], i)).Append("</td>");
            }

            var methods = report.Artifacts.Select(row.Method).Distinct().ToList();
            sb.Append("<td class=\"method\">").Append(string.Join("<br>", methods.Select((m, i) => (methods.Count > 1 ? $"{i + 1}: " : "") + HtmlText.Encode(m)))).Append("</td></tr>");
        }

        sb.Append("</tbody></table></section>");
    }

    private static string Figure(MeasurementRow row, ArtifactReport artifact, int index)
    {
        if (row.Read(artifact) is not { } v)
        {
            return "<span class=\"na\">not measured</span>";
        }

        var path = $"artifacts[{index}].{v.Path}";
        return row.IsBytes ? HtmlFigure.Bytes(path, v.Value) : HtmlFigure.Count(path, v.Value);
    }

    /// <summary>One group of bars per byte measurement, one bar per artifact, each group scaled to its largest value.</summary>
    private static void Chart(StringBuilder sb, Report report, IReadOnlyList<MeasurementRow> rows)
    {
        var n = Math.Max(1, report.Artifacts.Count);
        var groupHeight = n * (BarHeight + 2) + 12;
        var height = rows.Count * groupHeight + 8;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart bars\" data-chart=\"measurements\" viewBox=\"0 0 {ChartWidth} {height:0.#}\" role=\"img\" aria-label=\"Measurements by artifact\">");
        for (var g = 0; g < rows.Count; g++)
        {
            var row = rows[g];
            var top = 4 + g * groupHeight;
            var values = report.Artifacts.Select(row.Read).ToList();
            var max = values.Max(v => v?.Value ?? 0);
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"0\" y=\"{top + 11:0.#}\">").Append(HtmlText.Encode(row.Label)).Append("</text>");
            for (var i = 0; i < values.Count; i++)
            {
                var y = top + i * (BarHeight + 2);
                if (values[i] is not { } v)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<text class=\"na\" x=\"{LabelWidth:0}\" y=\"{y + 11:0.#}\">not measured</text>");
                    continue;
                }

                var width = max > 0 ? Math.Max(1, (ChartWidth - LabelWidth - 110) * v.Value / max) : 1;
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar s{i % 6}\" x=\"{LabelWidth:0}\" y=\"{y:0.#}\" width=\"{width:0.##}\" height=\"{BarHeight}\" {HtmlFigure.Attributes($"artifacts[{i}].{v.Path}", v.Value)}><title>")
                    .Append(HtmlText.Encode($"{report.Artifacts[i].Input}: {row.Label} {ByteText.Format(v.Value)} ({HtmlFigure.Exact(v.Value)})")).Append("</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + width + 4:0.#}\" y=\"{y + 11:0.#}\">{ByteText.Format(v.Value)}</text>");
            }
        }

        sb.Append("</svg>");
    }
}
