namespace Footprint.Analyzers.Vulnerabilities;

/// <summary>One imported feed that covers the artifact's release.</summary>
/// <param name="Feed">The feed's key in the database (its file name and kind).</param>
/// <param name="Kind">The input format ("AlpineSecfixesYaml", "DebianDsaList", "OsvZip"...).</param>
/// <param name="Date">The date the feed itself carries, when it carries one (ISO 8601).</param>
/// <param name="Imported">When it was imported (ISO 8601).</param>
/// <param name="Advisories">Statements it holds for this release.</param>
public sealed record AdvisoryFeedReport(string Feed, string Kind, string? Date, string Imported, long Advisories);
