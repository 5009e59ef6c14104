namespace Footprint.Advisories.Model;

/// <summary>A feed's severity on one common scale (the raw value is kept in <see cref="AdvisorySeverity.Raw"/>).</summary>
public enum SeverityLevel
{
    Unknown = 0,
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}
