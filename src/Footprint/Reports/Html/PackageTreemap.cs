using System.Globalization;
using System.Text;
using Footprint.Measures.Breakdown;

namespace Footprint.Reports.Html;

/// <summary>
/// The installed bytes by package as a flat squarified treemap: one block per listed package (the bytes it owns,
/// each file counted once), one for the packages not listed, and one for the bytes no package owns, in its own colour.
/// </summary>
public static class PackageTreemap
{
    public static string Render(BreakdownReport breakdown, string jsonPrefix)
    {
        var items = new List<(string Class, string Label, string Path, long Bytes)>();
        for (var i = 0; i < breakdown.Packages.Count; i++)
        {
            var p = breakdown.Packages[i];
            items.Add(("pkg", $"{p.Name} {p.Version} ({p.Ecosystem})", $"{jsonPrefix}.packages[{i}].bytes", p.Bytes));
        }

        if (breakdown.OtherPackagesBytes > 0)
        {
            items.Add(("pkg other", $"{breakdown.OtherPackages} more packages", $"{jsonPrefix}.otherPackagesBytes", breakdown.OtherPackagesBytes));
        }

        if (breakdown.UnownedBytes > 0)
        {
            items.Add(("unowned", "no package", $"{jsonPrefix}.unownedBytes", breakdown.UnownedBytes));
        }

        items = items.Where(x => x.Bytes > 0).OrderByDescending(x => x.Bytes).ToList();
        var rects = Squarify.Layout(items.Select(x => (double)x.Bytes).ToList(), new TreemapRect(0, 0, DirectoryTreemap.Width, DirectoryTreemap.Height));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart treemap\" data-chart=\"packages\" viewBox=\"0 0 {DirectoryTreemap.Width} {DirectoryTreemap.Height}\" role=\"img\" aria-label=\"Installed bytes by package\">");
        for (var i = 0; i < items.Count; i++)
        {
            var (cssClass, label, path, bytes) = items[i];
            var r = rects[i];
            sb.Append("<g>");
            DirectoryTreemap.Shape(sb, cssClass, r, path, bytes, $"{label}: {ByteText.Format(bytes)} ({HtmlFigure.Exact(bytes)})");
            if (r.Width > 40 && r.Height > 14)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{r.X + 3:0.#}\" y=\"{r.Y + 11:0.#}\">")
                    .Append(HtmlText.Encode(HtmlText.Shorten(label, (int)(r.Width / 6.5)))).Append("</text>");
            }

            sb.Append("</g>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }
}
