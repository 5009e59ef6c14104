namespace Footprint.Reports.Html;

/// <summary>A rectangle of a treemap, in SVG user units.</summary>
public readonly record struct TreemapRect(double X, double Y, double Width, double Height)
{
    public double Area => Width * Height;

    /// <summary>This rectangle shrunk by <paramref name="side"/> on the left, right and bottom and <paramref name="top"/> on top (never below zero).</summary>
    public TreemapRect Inset(double side, double top)
        => new(X + side, Y + top, Math.Max(0, Width - 2 * side), Math.Max(0, Height - top - side));
}
