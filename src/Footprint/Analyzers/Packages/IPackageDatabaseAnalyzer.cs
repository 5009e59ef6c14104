using Footprint.Walk;

namespace Footprint.Analyzers.Packages;

/// <summary>A package-database analyzer whose inventory needs nothing but what it observed (no os-release facts).</summary>
public interface IPackageDatabaseAnalyzer : IAnalyzer, IProducer<PackageInventory>
{
    /// <summary>The packages, unknowns and database files seen during the walk.</summary>
    PackageInventory Result();

    PackageInventory? IProducer<PackageInventory>.Produce(AnalysisContext context) => Result();
}
