namespace Footprint.Analyzers.Packages;

/// <summary>A database file, the 1-based line where a record starts, and the layer that supplied the file.</summary>
public sealed record PackageEvidence(string Path, int Line, int Layer);
