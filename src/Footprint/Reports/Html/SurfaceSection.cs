using System.Globalization;
using System.Text;
using Footprint.Analyzers.Surface;

namespace Footprint.Reports.Html;

/// <summary>The surface summary (surface): the score by item class, then every item counted, with its file, layer and why.</summary>
public static class SurfaceSection
{
    public static void Write(StringBuilder sb, SurfaceReport surface, string prefix)
    {
        sb.Append("<h3>Surface</h3><p class=\"method\">Weighted points per item class (docs/surface.md); lower is a smaller surface. Score ")
            .Append(HtmlFigure.Count($"{prefix}.surface.score.total", surface.Score.Total)).Append(", init ")
            .Append(HtmlText.Encode(surface.Init.System)).Append(".</p>");
        sb.Append("<table class=\"surface-score\"><thead><tr><th>Class</th><th>Items</th><th>Weight</th><th>Points</th></tr></thead><tbody>");
        for (var i = 0; i < surface.Score.Classes.Count; i++)
        {
            var c = surface.Score.Classes[i];
            var at = $"{prefix}.surface.score.classes[{i}]";
            sb.Append("<tr><td>").Append(HtmlText.Encode(c.Class)).Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{at}.count", c.Count))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{at}.weight", c.Weight))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{at}.points", c.Points)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        var items = new List<(string Kind, string Name, string Path, int? Layer, string Why)>();
        items.AddRange(surface.Shells.Select(s => ("shell", s.Name, s.Path, s.Layer, s.Why)));
        items.AddRange(surface.PackageManagers.Select(s => ("package manager", s.Name, s.Path, s.Layer, s.Why)));
        items.AddRange(surface.Interpreters.Select(s => ("interpreter", s.Name, s.Path, s.Layer, s.Why)));
        items.AddRange(surface.Daemons.Select(d => ("daemon", d.Name, d.Path, d.Layer,
            d.Ports.Count == 0 ? d.Why : $"{d.Why}; ports {string.Join(", ", d.Ports.Select(p => p.ToString(CultureInfo.InvariantCulture)))} ({d.PortSource})")));
        items.AddRange(surface.SetIdFiles.Select(f => (f.SetUid ? "set-user-ID" : "set-group-ID", "", f.Path, f.Layer, $"mode {f.Mode}, owner {f.Uid}:{f.Gid}")));
        items.AddRange(surface.Capabilities.Select(c => ("capabilities", "", c.Path, c.Layer, c.Text)));
        items.AddRange(surface.WorldWritable.Select(s => ("world-writable", s.Name, s.Path, s.Layer, s.Why)));
        items.AddRange(surface.Accounts.Findings.Select(s => ("account", s.Name, s.Path, s.Layer, s.Why)));
        items.AddRange(surface.Init.Services.Select(s => ("service", s.Name, s.Path, s.Layer, s.Why)));
        sb.Append("<table class=\"surface-items\"><thead><tr><th>Kind</th><th>Name</th><th>Path</th><th>Layer</th><th>Why</th></tr></thead><tbody>");
        foreach (var (kind, name, path, layer, why) in items)
        {
            sb.Append("<tr><td>").Append(kind).Append("</td><td>").Append(HtmlText.Encode(name)).Append("</td><td class=\"path\">").Append(HtmlText.Encode(path))
                .Append("</td><td class=\"num\">").Append(layer?.ToString(CultureInfo.InvariantCulture) ?? "").Append("</td><td>").Append(HtmlText.Encode(why)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }
}
