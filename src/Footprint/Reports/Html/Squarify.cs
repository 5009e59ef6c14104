namespace Footprint.Reports.Html;

/// <summary>
/// The squarified treemap layout (Bruls, Huizing and van Wijk, "Squarified Treemaps", 2000): items, largest first,
/// are laid in rows along the shorter side of the space left; an item joins the current row while that does not
/// worsen the row's worst aspect ratio. Computed here so the page needs no script to show it.
/// </summary>
public static class Squarify
{
    /// <summary>Rectangles for <paramref name="weights"/> (sorted largest first, all positive), in the same order, filling <paramref name="space"/>.</summary>
    public static TreemapRect[] Layout(IReadOnlyList<double> weights, TreemapRect space)
    {
        var rects = new TreemapRect[weights.Count];
        var total = weights.Sum();
        if (total <= 0 || space.Area <= 0)
        {
            return rects;
        }

        var scale = space.Area / total;
        var (x, y, w, h) = (space.X, space.Y, space.Width, space.Height);
        var i = 0;
        while (i < weights.Count)
        {
            var side = Math.Min(w, h);
            var rowSum = weights[i] * scale;
            var worst = Worst(weights[i] * scale, weights[i] * scale, rowSum, side);
            var j = i + 1;
            while (j < weights.Count)
            {
                var sum = rowSum + weights[j] * scale;
                var next = Worst(weights[i] * scale, weights[j] * scale, sum, side);
                if (next > worst)
                {
                    break;
                }

                (rowSum, worst) = (sum, next);
                j++;
            }

            if (w >= h)
            {
                // The row is a column at the left, as wide as its area over the height.
                var columnWidth = h > 0 ? rowSum / h : 0;
                var top = y;
                for (var k = i; k < j; k++)
                {
                    var height = columnWidth > 0 ? weights[k] * scale / columnWidth : 0;
                    rects[k] = new TreemapRect(x, top, columnWidth, height);
                    top += height;
                }

                x += columnWidth;
                w = Math.Max(0, w - columnWidth);
            }
            else
            {
                var rowHeight = w > 0 ? rowSum / w : 0;
                var left = x;
                for (var k = i; k < j; k++)
                {
                    var width = rowHeight > 0 ? weights[k] * scale / rowHeight : 0;
                    rects[k] = new TreemapRect(left, y, width, rowHeight);
                    left += width;
                }

                y += rowHeight;
                h = Math.Max(0, h - rowHeight);
            }

            i = j;
        }

        return rects;
    }

    /// <summary>The worst aspect ratio of a row of total area <paramref name="sum"/> along <paramref name="side"/>, from its largest and smallest areas.</summary>
    private static double Worst(double largest, double smallest, double sum, double side)
    {
        if (sum <= 0 || side <= 0 || smallest <= 0)
        {
            return double.MaxValue;
        }

        var s2 = side * side;
        var sum2 = sum * sum;
        return Math.Max(s2 * largest / sum2, sum2 / (s2 * smallest));
    }
}
