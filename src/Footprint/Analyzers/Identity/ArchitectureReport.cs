using Footprint.Walk;

namespace Footprint.Analyzers.Identity;

public sealed record ArchitectureReport(string Value, string Source, IReadOnlyList<Evidence> Evidence);
