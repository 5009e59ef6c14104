namespace Footprint.Reports.Comparisons;

/// <summary>A vulnerability finding (vulnerability, package) present in one artifact and not the other.</summary>
/// <param name="Id">The vulnerability (a CVE when any statement names one).</param>
/// <param name="Package">The binary package.</param>
/// <param name="Ecosystem">Its package database.</param>
/// <param name="Change">fixed (only the old artifact has it) or introduced (only the new one has it).</param>
/// <param name="Version">The package version the finding was made on.</param>
/// <param name="Severity">"critical", "high", "medium", "low", "negligible" or "unknown".</param>
/// <param name="Status">"affected", "ambiguous-fix" or "unknown".</param>
public sealed record FindingChange(string Id, string Package, string Ecosystem, string Change, string Version, string Severity, string Status);
