namespace Footprint.Reports.Catalog;

/// <summary>Counted findings (suppressed ones excluded), as `compare` counts them.</summary>
/// <param name="Total">All severities.</param>
/// <param name="Critical">Critical findings.</param>
/// <param name="High">High findings.</param>
/// <param name="Reachable">Findings whose package is loaded by an entrypoint; null when reachability did not run.</param>
public sealed record CatalogVulnerabilities(long Total, long Critical, long High, long? Reachable);
