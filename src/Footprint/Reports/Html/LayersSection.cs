using System.Globalization;
using System.Text;
using Footprint.Analyzers.Installed;

namespace Footprint.Reports.Html;

/// <summary>
/// What each layer did to the final view (installed.layers): bytes added, modified, removed, and stored but hidden
/// by a later layer (wasted), as bars on one scale and as a table with the file counts.
/// </summary>
public static class LayersSection
{
    private const double ChartWidth = 960;

    private const double LabelWidth = 110;

    private const double BarHeight = 12;

    private static readonly (string Name, string Field, Func<LayerUsage, long> Bytes, Func<LayerUsage, long> Files)[] Kinds =
    [
        ("added", "addedBytes", l => l.AddedBytes, l => l.AddedFiles),
        ("modified", "modifiedBytes", l => l.ModifiedBytes, l => l.ModifiedFiles),
        ("removed", "removedBytes", l => l.RemovedBytes, l => l.RemovedFiles),
        ("wasted", "wastedBytes", l => l.WastedBytes, l => l.WastedFiles),
    ];

    public static void Write(StringBuilder sb, ArtifactReport artifact, string prefix)
    {
        var layers = artifact.Installed.Layers;
        sb.Append("<h3>Layers</h3><p class=\"method\">Bytes each layer adds, modifies (replaces a lower layer's file), removes (whiteouts), and stores but a later layer hides (wasted: every copy of a path but the one kept). Total wasted ")
            .Append(HtmlFigure.Bytes($"{prefix}.installed.wastedBytes", artifact.Installed.WastedBytes)).Append(".</p>");
        var max = Math.Max(1, layers.SelectMany(l => Kinds.Select(k => k.Bytes(l))).DefaultIfEmpty(0).Max());
        var groupHeight = Kinds.Length * (BarHeight + 1) + 10;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart bars\" data-chart=\"layers\" viewBox=\"0 0 {ChartWidth} {layers.Count * groupHeight + 24:0.#}\" role=\"img\" aria-label=\"Bytes per layer\">");
        for (var i = 0; i < Kinds.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{Kinds[i].Name}\" x=\"{LabelWidth + i * 110:0}\" y=\"2\" width=\"10\" height=\"10\"/><text x=\"{LabelWidth + i * 110 + 14:0}\" y=\"11\">{Kinds[i].Name}</text>");
        }

        for (var n = 0; n < layers.Count; n++)
        {
            var layer = layers[n];
            var top = 20 + n * groupHeight;
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"0\" y=\"{top + 12:0.#}\">layer {layer.Index}</text>");
            for (var k = 0; k < Kinds.Length; k++)
            {
                var bytes = Kinds[k].Bytes(layer);
                var y = top + k * (BarHeight + 1);
                var width = bytes == 0 ? 0 : Math.Max(1, (ChartWidth - LabelWidth - 90) * bytes / max);
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{Kinds[k].Name}\" x=\"{LabelWidth:0}\" y=\"{y:0.#}\" width=\"{width:0.##}\" height=\"{BarHeight}\" {HtmlFigure.Attributes($"{prefix}.installed.layers[{n}].{Kinds[k].Field}", bytes)}><title>")
                    .Append(HtmlText.Encode($"layer {layer.Index} {Kinds[k].Name}: {ByteText.Format(bytes)} ({HtmlFigure.Exact(bytes)}) in {Kinds[k].Files(layer)} files")).Append("</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + width + 4:0.#}\" y=\"{y + 10:0.#}\">{ByteText.Format(bytes)}</text>");
            }
        }

        sb.Append("</svg>");
        sb.Append("<table class=\"layers\"><thead><tr><th>Layer</th><th>Digest</th><th>Stored</th>");
        foreach (var kind in Kinds)
        {
            sb.Append("<th>").Append(kind.Name).Append("</th><th>files</th>");
        }

        sb.Append("<th>Whiteouts</th></tr></thead><tbody>");
        for (var n = 0; n < layers.Count; n++)
        {
            var l = layers[n];
            var at = $"{prefix}.installed.layers[{n}]";
            sb.Append("<tr><td class=\"num\">").Append(HtmlFigure.Count($"{at}.index", l.Index)).Append("</td><td class=\"digest\">").Append(HtmlText.Encode(l.Digest ?? "")).Append("</td><td class=\"num\">")
                .Append(HtmlFigure.Bytes($"{at}.storedBytes", l.StoredBytes)).Append("</td>");
            foreach (var kind in Kinds)
            {
                var filesField = kind.Field.Replace("Bytes", "Files", StringComparison.Ordinal);
                sb.Append("<td class=\"num\">").Append(HtmlFigure.Bytes($"{at}.{kind.Field}", kind.Bytes(l))).Append("</td><td class=\"num\">")
                    .Append(HtmlFigure.Count($"{at}.{filesField}", kind.Files(l))).Append("</td>");
            }

            sb.Append("<td class=\"num\">").Append(HtmlFigure.Count($"{at}.whiteouts", l.Whiteouts)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }
}
