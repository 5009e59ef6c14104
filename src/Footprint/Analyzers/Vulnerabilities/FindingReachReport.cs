namespace Footprint.Analyzers.Vulnerabilities;

/// <summary>Whether one entrypoint reaches a vulnerable package (Analyzers/Reachability, docs/reachability.md).</summary>
/// <param name="Entrypoint">The entrypoint: its command as written and where it is said ("config.Entrypoint+Cmd", a unit file...).</param>
/// <param name="Class">"loaded", "unknown" or "present-not-loaded".</param>
/// <param name="Evidence">Loaded: the chain from the entrypoint to the package's file; unknown: each reason; otherwise why nothing reaches it.</param>
public sealed record FindingReachReport(string Entrypoint, string Class, IReadOnlyList<string> Evidence);
