namespace Footprint.Analyzers;

/// <summary>The result of a check whose only output is warnings (raised through <see cref="AnalysisContext.Warn"/>).</summary>
/// <param name="Warnings">How many warnings the check raised.</param>
public sealed record CheckResult(int Warnings);
