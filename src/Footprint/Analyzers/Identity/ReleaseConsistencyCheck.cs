using Footprint.Analyzers.Packages;

namespace Footprint.Analyzers.Identity;

/// <summary>Checks the release the identity files claim against the releases the package databases record (<see cref="ReleaseConsistency"/>).</summary>
public sealed class ReleaseConsistencyCheck : IProducer<CheckResult>
{
    public string Id => "release-consistency";

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(OsIdentity), typeof(IPackageInventories)];

    public CheckResult Produce(AnalysisContext context)
    {
        var databases = context.All<IPackageInventories>().SelectMany(i => i.Inventories).Where(i => i.Databases.Count > 0).ToList();
        var warnings = ReleaseConsistency.Check(context.Get<OsIdentity>()?.Claims ?? [], databases, context.Source.Location);
        foreach (var warning in warnings)
        {
            context.Warn(warning);
        }

        return new CheckResult(warnings.Count);
    }
}
