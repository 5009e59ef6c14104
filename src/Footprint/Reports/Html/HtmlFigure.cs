using System.Globalization;

namespace Footprint.Reports.Html;

/// <summary>
/// One number of the report in the page: its text, and the JSON path and raw value it comes from in
/// <c>data-json</c> and <c>data-value</c> (docs/report-html.md), so that every figure shown can be checked against
/// the JSON report; byte counts also carry the exact count in the tooltip.
/// </summary>
public static class HtmlFigure
{
    /// <summary>A span showing <paramref name="bytes"/> as IEC units (e.g. 124.1 MiB), exact in its title.</summary>
    public static string Bytes(string jsonPath, long bytes)
        => $"<span class=\"fig\" data-json=\"{HtmlText.Encode(jsonPath)}\" data-value=\"{Invariant(bytes)}\" title=\"{Exact(bytes)}\">{ByteText.Format(bytes)}</span>";

    /// <summary>A span showing a count as digits.</summary>
    public static string Count(string jsonPath, long value)
        => $"<span class=\"fig\" data-json=\"{HtmlText.Encode(jsonPath)}\" data-value=\"{Invariant(value)}\">{Invariant(value)}</span>";

    /// <summary>The attributes that tie an SVG shape to its figure (no text of its own).</summary>
    public static string Attributes(string jsonPath, long value)
        => $"data-json=\"{HtmlText.Encode(jsonPath)}\" data-value=\"{Invariant(value)}\"";

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"130,116,847 bytes".</summary>
    public static string Exact(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + (bytes == 1 ? " byte" : " bytes");
}
