using System.Text;
using Footprint.Measures.Breakdown;

namespace Footprint.Reports.Html;

/// <summary>The installed bytes by directory and by package (breakdown): the two treemaps, then the same figures as tables.</summary>
public static class BreakdownSection
{
    /// <summary>Directories this deep or shallower are in the table ("/" is 0, "/usr" 1, "/usr/lib" 2).</summary>
    private const int TableDepth = 2;

    public static void Write(StringBuilder sb, BreakdownReport breakdown, string prefix)
    {
        var at = $"{prefix}.breakdown";
        sb.Append("<h3>Installed bytes by directory</h3><p class=\"method\">Area is apparent bytes (hard links once); ")
            .Append("<span class=\"swatch owned\"></span>owned by a package, <span class=\"swatch unowned\"></span>no package. ")
            .Append("Directories under ").Append(HtmlFigure.Bytes($"{at}.minDirectoryBytes", breakdown.MinDirectoryBytes))
            .Append(" are folded into their parent; at most ").Append(HtmlFigure.Count($"{at}.maxDirectories", breakdown.MaxDirectories)).Append(" directories are listed.</p>");
        sb.Append("<figure>").Append(DirectoryTreemap.Render(breakdown, at)).Append("<figcaption class=\"pick\"></figcaption></figure>");
        sb.Append("<h3>Installed bytes by package</h3><p class=\"method\">Each file counts once, for the first package that claims it, so the packages add up to the owned bytes, ")
            .Append(HtmlFigure.Bytes($"{at}.ownedBytes", breakdown.OwnedBytes)).Append("; no package: ")
            .Append(HtmlFigure.Bytes($"{at}.unownedBytes", breakdown.UnownedBytes)).Append(".</p>");
        sb.Append("<figure>").Append(PackageTreemap.Render(breakdown, at)).Append("<figcaption class=\"pick\"></figcaption></figure>");

        sb.Append("<details open><summary>Directories (table)</summary><table class=\"directories\"><thead><tr><th>Directory</th><th>Apparent</th><th>On disk</th><th>Files</th><th>Owned</th><th>Unowned</th></tr></thead><tbody>");
        for (var i = 0; i < breakdown.Directories.Count; i++)
        {
            var d = breakdown.Directories[i];
            if (d.Path.Count(c => c == '/') > TableDepth)
            {
                continue;
            }

            var row = $"{at}.directories[{i}]";
            sb.Append("<tr><td class=\"path\">").Append(HtmlText.Encode(d.Path)).Append("</td><td class=\"num\">").Append(HtmlFigure.Bytes($"{row}.apparentBytes", d.ApparentBytes))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Bytes($"{row}.onDiskBytes", d.OnDiskBytes))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{row}.files", d.Files))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Bytes($"{row}.ownedBytes", d.OwnedBytes))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Bytes($"{row}.unownedBytes", d.UnownedBytes)).Append("</td></tr>");
        }

        sb.Append("</tbody></table></details>");
        sb.Append("<details open><summary>Packages (table)</summary><table class=\"packages\"><thead><tr><th>Package</th><th>Version</th><th>Ecosystem</th><th>Owned bytes</th><th>Files</th></tr></thead><tbody>");
        for (var i = 0; i < breakdown.Packages.Count; i++)
        {
            var p = breakdown.Packages[i];
            var row = $"{at}.packages[{i}]";
            sb.Append("<tr><td>").Append(HtmlText.Encode(p.Name)).Append("</td><td>").Append(HtmlText.Encode(p.Version)).Append("</td><td>").Append(HtmlText.Encode(p.Ecosystem))
                .Append("</td><td class=\"num\">").Append(HtmlFigure.Bytes($"{row}.bytes", p.Bytes)).Append("</td><td class=\"num\">").Append(HtmlFigure.Count($"{row}.files", p.Files)).Append("</td></tr>");
        }

        if (breakdown.OtherPackages > 0)
        {
            sb.Append("<tr><td>").Append(HtmlFigure.Count($"{at}.otherPackages", breakdown.OtherPackages)).Append(" more packages</td><td></td><td></td><td class=\"num\">")
                .Append(HtmlFigure.Bytes($"{at}.otherPackagesBytes", breakdown.OtherPackagesBytes)).Append("</td><td></td></tr>");
        }

        sb.Append("</tbody></table></details>");
    }
}
