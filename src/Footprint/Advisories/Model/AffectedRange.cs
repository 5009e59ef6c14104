namespace Footprint.Advisories.Model;

/// <summary>
/// One OSV <c>ECOSYSTEM</c> range event group: affected from <paramref name="Introduced"/> (null or "0": from the
/// start) up to, not including, <paramref name="Fixed"/>, or up to and including <paramref name="LastAffected"/>.
/// Versions are the feed's text; <paramref name="Valid"/> is false when a version fails the scheme's syntax check.
/// </summary>
public sealed record AffectedRange(string? Introduced, string? Fixed, string? LastAffected, bool Valid = true);
