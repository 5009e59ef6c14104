namespace Footprint.Measures.Inventory;

public sealed record PackageDatabaseReport(string Ecosystem, string Path, int Packages);
