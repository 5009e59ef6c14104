namespace Footprint.Analyzers.Packages;

/// <summary>A record or file that could not be read as a package: kept so the report can say what was skipped.</summary>
public sealed record PackageUnknown(string Path, int Line, string Reason);
