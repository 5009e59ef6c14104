using System.Text;
using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Reports.Html;

/// <summary>
/// The vulnerabilities section (when --db was given): coverage (a release no feed covers is "not covered", never
/// clean), counts by severity and by reachability, and every finding with its status, fix and reachability.
/// </summary>
public static class VulnerabilitiesSection
{
    public static void Write(StringBuilder sb, VulnerabilityReport v, string prefix)
    {
        sb.Append("<h3>Vulnerabilities</h3><p class=\"method\">Installed packages matched against the advisory database for ")
            .Append(HtmlText.Encode($"{v.Distro ?? "(no distro)"} {v.Release ?? ""}")).Append(": ")
            .Append(v.Covered ? "covered by " + HtmlText.Encode(string.Join(", ", v.Feeds.Select(f => $"{f.Feed} ({f.Date ?? f.Imported})"))) : "<strong>not covered</strong>: " + HtmlText.Encode(v.NotCoveredReason))
            .Append(". Reachability: whether the image's entrypoints load the package's code.</p>");
        Counts(sb, "Severity", v.BySeverity, $"{prefix}.vulnerabilities.bySeverity");
        if (v.ByReachability is { } reach)
        {
            Counts(sb, "Reachability", reach, $"{prefix}.vulnerabilities.byReachability");
        }

        sb.Append("<table class=\"findings\"><thead><tr><th>Id</th><th>Package</th><th>Version</th><th>Severity</th><th>Status</th><th>Fixed in</th><th>Reachability</th></tr></thead><tbody>");
        foreach (var f in v.Findings)
        {
            sb.Append("<tr><td>").Append(HtmlText.Encode(f.Id)).Append("</td><td>").Append(HtmlText.Encode(f.Package)).Append("</td><td>").Append(HtmlText.Encode(f.Version))
                .Append("</td><td>").Append(HtmlText.Encode(f.Severity)).Append("</td><td>").Append(HtmlText.Encode(f.Status)).Append("</td><td>")
                .Append(HtmlText.Encode(string.Join(", ", f.FixedVersions))).Append("</td><td>").Append(HtmlText.Encode(f.Reachability ?? "")).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private static void Counts(StringBuilder sb, string title, IReadOnlyDictionary<string, int> counts, string path)
    {
        sb.Append("<table class=\"counts\"><thead><tr><th>").Append(title).Append("</th><th>Findings</th></tr></thead><tbody>");
        foreach (var (key, n) in counts)
        {
            sb.Append("<tr><td>").Append(HtmlText.Encode(key)).Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{path}.{key}", n)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }
}
