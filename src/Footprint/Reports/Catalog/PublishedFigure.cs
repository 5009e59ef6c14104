namespace Footprint.Reports.Catalog;

/// <summary>
/// A figure a document states about a system (catalog/published.json): never measured by Footprint, always shown
/// labelled "published" with its source, and used for a constraint only when no measured figure decides it.
/// </summary>
/// <param name="OsId">The os-release ID of the systems it is about (alpine, openwrt, tinycore...).</param>
/// <param name="Figure">minimum-ram-bytes, idle-ram-bytes, download-bytes or flash-bytes.</param>
/// <param name="Bytes">The figure in bytes (for a range, its upper end: the conservative reading).</param>
/// <param name="Quote">The figure in the document's own words ("~4 MB flash, ~32 MB RAM").</param>
/// <param name="Document">The document's title.</param>
/// <param name="Section">Where in it (section title, table, line).</param>
/// <param name="Url">Its address, when it has one.</param>
/// <param name="Provenance">Always "published".</param>
public sealed record PublishedFigure(string OsId, string Figure, long Bytes, string Quote, string Document, string Section, string? Url = null, string Provenance = "published");
