using System.Text;

namespace Footprint.Reports.Html;

/// <summary>
/// The report as one self-contained HTML page (docs/report-html.md): inline CSS and SVG, a few lines of optional
/// script, no request of any kind. A pure function of the <see cref="Report"/> that `measure -f json` writes; every
/// figure carries the JSON path it comes from (<see cref="HtmlFigure"/>), and every string from the artifact is
/// encoded (<see cref="HtmlText"/>).
/// </summary>
public static class HtmlReportWriter
{
    public static void Write(Report report, Stream output)
    {
        var bytes = Encoding.UTF8.GetBytes(Render(report));
        output.Write(bytes);
    }

    public static string Render(Report report)
    {
        var sb = new StringBuilder(64 * 1024);
        var title = report.Artifacts.Count == 1 ? report.Artifacts[0].Input : $"{report.Artifacts.Count} artifacts";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(HtmlAssets.ContentSecurityPolicy).Append("\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Footprint: ").Append(HtmlText.Encode(title)).Append("</title><style>").Append(HtmlAssets.Style).Append("</style></head><body>");
        sb.Append("<header><h1>Footprint report</h1><p class=\"method\">").Append(HtmlText.Encode($"{report.Tool.Name} {report.Tool.Version}"))
            .Append(", schema ").Append(HtmlText.Encode(report.SchemaVersion)).Append(". Every figure is the JSON report's (`measure -f json`); hover a figure for the exact byte count.</p><ol>");
        for (var i = 0; i < report.Artifacts.Count; i++)
        {
            var a = report.Artifacts[i];
            sb.Append($"<li><a href=\"#artifact-{i}\">").Append(HtmlText.Encode(a.Input)).Append("</a> (").Append(HtmlText.Encode(a.Kind))
                .Append(a.Identity.Os is { } os ? ", " + HtmlText.Encode(os.PrettyName ?? os.Id) : "").Append(")</li>");
        }

        sb.Append("</ol></header>");
        MeasurementsSection.Write(sb, report);
        for (var i = 0; i < report.Artifacts.Count; i++)
        {
            Artifact(sb, report.Artifacts[i], i);
        }

        sb.Append("<script>").Append(HtmlAssets.Script).Append("</script></body></html>\n");
        return sb.ToString();
    }

    private static void Artifact(StringBuilder sb, ArtifactReport a, int index)
    {
        var prefix = $"artifacts[{index}]";
        sb.Append($"<section id=\"artifact-{index}\" data-artifact=\"{index}\"><h2>").Append(HtmlText.Encode(a.Input)).Append("</h2><p>")
            .Append(HtmlText.Encode(a.Kind)).Append(a.ManifestDigest is { } d ? ", manifest " + HtmlText.Encode(d) : "").Append(". Installed ")
            .Append(HtmlFigure.Bytes($"{prefix}.installed.apparentBytes", a.Installed.ApparentBytes)).Append(" apparent, ")
            .Append(HtmlFigure.Bytes($"{prefix}.installed.onDiskBytes", a.Installed.OnDiskBytes)).Append(" on disk, in ")
            .Append(HtmlFigure.Count($"{prefix}.installed.files", a.Installed.Files)).Append(" files.</p>");
        if (a.Breakdown is { } breakdown)
        {
            BreakdownSection.Write(sb, breakdown, prefix);
        }

        if (a.Installed.Layers.Count > 0)
        {
            LayersSection.Write(sb, a, prefix);
        }

        if (a.Surface is { } surface)
        {
            SurfaceSection.Write(sb, surface, prefix);
        }

        if (a.Vulnerabilities is { } vulnerabilities)
        {
            VulnerabilitiesSection.Write(sb, vulnerabilities, prefix);
        }

        if (a.Warnings.Count > 0)
        {
            sb.Append("<h3>Warnings</h3><ul class=\"warning\">");
            foreach (var w in a.Warnings)
            {
                sb.Append("<li>").Append(HtmlText.Encode($"{w.Code}: {w.Message}")).Append("</li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("</section>");
    }
}
