using System.Globalization;
using System.Text;
using Footprint.Measures.Breakdown;

namespace Footprint.Reports.Html;

/// <summary>
/// The installed bytes by directory as a nested squarified treemap in SVG: each listed directory is a frame holding
/// its listed subdirectories and one block for the rest of it (its own files and small subdirectories), split into
/// the bytes some package owns and the unowned bytes. At most <see cref="MaxRects"/> shapes, so a host with a
/// million files stays a page a browser draws at once; a frame too small to open is drawn as one owned/unowned block.
/// </summary>
public static class DirectoryTreemap
{
    public const int MaxRects = 2000;

    public const double Width = 960;

    public const double Height = 540;

    /// <summary>Frames smaller than this (either side, user units) are drawn as one block instead of opened.</summary>
    private const double MinOpenSide = 12;

    private const double LabelHeight = 13;

    public static string Render(BreakdownReport breakdown, string jsonPrefix)
    {
        var dirs = breakdown.Directories;
        var children = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < dirs.Count; i++)
        {
            if (dirs[i].Path == "/")
            {
                continue;
            }

            var slash = dirs[i].Path.LastIndexOf('/');
            var parent = slash <= 0 ? "/" : dirs[i].Path[..slash];
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(i);
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart treemap\" data-chart=\"directories\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Installed bytes by directory\">");
        var root = dirs.Select((d, i) => (d, i)).FirstOrDefault(x => x.d.Path == "/");
        if (root.d is not null && root.d.ApparentBytes > 0)
        {
            var budget = MaxRects;
            Frame(sb, dirs, children, root.i, new TreemapRect(0, 0, Width, Height), jsonPrefix, ref budget);
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static void Frame(StringBuilder sb, IReadOnlyList<DirectoryShare> dirs, Dictionary<string, List<int>> children, int index,
        TreemapRect rect, string prefix, ref int budget)
    {
        var dir = dirs[index];
        var at = $"{prefix}.directories[{index}]";
        var kids = children.GetValueOrDefault(dir.Path)?.Where(k => dirs[k].ApparentBytes > 0).OrderByDescending(k => dirs[k].ApparentBytes).ToList() ?? [];
        var open = kids.Count > 0 && rect.Width >= MinOpenSide && rect.Height >= MinOpenSide + LabelHeight && budget > kids.Count + 3;
        if (!open)
        {
            Block(sb, rect, dir.Path, dir.OwnedBytes, dir.UnownedBytes, $"{at}.ownedBytes", $"{at}.unownedBytes", ref budget);
            return;
        }

        budget--;
        sb.Append("<g>");
        Shape(sb, "dir", rect, $"{at}.apparentBytes", dir.ApparentBytes,
            $"{dir.Path}: {ByteText.Format(dir.ApparentBytes)} ({HtmlFigure.Exact(dir.ApparentBytes)}), {dir.Files} files; owned {ByteText.Format(dir.OwnedBytes)}, unowned {ByteText.Format(dir.UnownedBytes)}");
        var name = dir.Path == "/" ? "/" : dir.Path[(dir.Path.LastIndexOf('/') + 1)..];
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{rect.X + 3:0.#}\" y=\"{rect.Y + 10:0.#}\">")
            .Append(HtmlText.Encode(HtmlText.Shorten(name, (int)(rect.Width / 6.5)))).Append("</text>");
        var inner = rect.Inset(1.5, LabelHeight);
        var weights = kids.Select(k => (double)dirs[k].ApparentBytes).ToList();
        if (dir.UnlistedBytes > 0)
        {
            weights.Add(dir.UnlistedBytes);
        }

        // Largest first, as the layout wants; the rest-of-directory block keeps its place by weight.
        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => weights[i]).ToList();
        var rects = Squarify.Layout(order.Select(i => weights[i]).ToList(), inner);
        for (var n = 0; n < order.Count; n++)
        {
            var i = order[n];
            if (i < kids.Count)
            {
                Frame(sb, dirs, children, kids[i], rects[n], prefix, ref budget);
            }
            else
            {
                Block(sb, rects[n], dir.Path + " (own files and small subdirectories)", dir.UnlistedOwnedBytes, dir.UnlistedUnownedBytes,
                    $"{at}.unlistedOwnedBytes", $"{at}.unlistedUnownedBytes", ref budget);
            }
        }

        sb.Append("</g>");
    }

    /// <summary>One block split along its longer side into owned and unowned parts, in proportion.</summary>
    private static void Block(StringBuilder sb, TreemapRect rect, string label, long owned, long unowned, string ownedPath, string unownedPath, ref int budget)
    {
        var total = owned + unowned;
        if (total <= 0 || rect.Area <= 0)
        {
            return;
        }

        var share = (double)owned / total;
        TreemapRect ownedRect, unownedRect;
        if (rect.Width >= rect.Height)
        {
            ownedRect = rect with { Width = rect.Width * share };
            unownedRect = new TreemapRect(rect.X + ownedRect.Width, rect.Y, rect.Width - ownedRect.Width, rect.Height);
        }
        else
        {
            ownedRect = rect with { Height = rect.Height * share };
            unownedRect = new TreemapRect(rect.X, rect.Y + ownedRect.Height, rect.Width, rect.Height - ownedRect.Height);
        }

        if (owned > 0)
        {
            budget--;
            Shape(sb, "owned", ownedRect, ownedPath, owned, $"{label}: owned by packages {ByteText.Format(owned)} ({HtmlFigure.Exact(owned)})");
        }

        if (unowned > 0)
        {
            budget--;
            Shape(sb, "unowned", unownedRect, unownedPath, unowned, $"{label}: no package {ByteText.Format(unowned)} ({HtmlFigure.Exact(unowned)})");
        }
    }

    internal static void Shape(StringBuilder sb, string cssClass, TreemapRect r, string jsonPath, long value, string title)
        => sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass}\" x=\"{r.X:0.##}\" y=\"{r.Y:0.##}\" width=\"{r.Width:0.##}\" height=\"{r.Height:0.##}\" {HtmlFigure.Attributes(jsonPath, value)}><title>")
            .Append(HtmlText.Encode(title)).Append("</title></rect>");
}
