namespace Footprint.Analyzers.Loader;

/// <summary>A problem the loader would report: a lint code, the detail, and what was read.</summary>
public sealed record LoadProblem(string Code, string Detail, string EvidencePath, string EvidenceDetail);
