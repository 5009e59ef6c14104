namespace Footprint.Advisories.Model;

/// <summary>
/// A severity as the feed gives it: <paramref name="Source"/> names the scale (<c>debian-urgency</c>,
/// <c>ubuntu-priority</c>, <c>CVSS_V3</c>...), <paramref name="Raw"/> is the feed's text (an urgency word or a CVSS
/// vector), <paramref name="Level"/> the common scale where the text maps to one (a CVSS vector is kept raw: Unknown).
/// </summary>
public sealed record AdvisorySeverity(SeverityLevel Level, string Source, string Raw);
