using Footprint.Analyzers;
using Footprint.Analyzers.Installed;
using Footprint.Analyzers.Packages;
using Footprint.Sources;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Every ecosystem's packages reconciled with the files present (<see cref="PackageOwnership"/>): owned plus unowned
/// bytes are the installed bytes; with `--base`, split into base and added (<see cref="BaseSplit"/>). Core: the
/// reconciliation is what makes the installed figure honest, and it reports whichever ecosystems ran.
/// </summary>
public sealed class InventoryMeasure : IProducer<Ownership>
{
    public string Id => "inventory";

    public int Version => 1;

    public bool IsCore => true;

    public IReadOnlyList<Type> Consumes => [typeof(IPackageInventories), typeof(InstalledReport)];

    public Ownership? Produce(AnalysisContext context)
    {
        if (context.Get<InstalledReport>() is not { } installed)
        {
            return null;
        }

        var databases = context.All<IPackageInventories>().SelectMany(i => i.Inventories).Where(i => i.Databases.Count > 0).ToList();
        var owners = context.Options.ListFiles ? new FileOwners() : null;
        var claimed = new OwnedFiles(keepClaims: context.Options.Breakdown);
        var inventory = PackageOwnership.Compute(context.View, databases, installed.ApparentBytes, owners, claimed);
        if (context.Options.Base is { } baseReference)
        {
            using var baseSource = ArtifactOpener.Open(baseReference, context.Options.Platform, [], registry: context.Options.Registry);
            var (split, packages) = BaseSplit.Compute(baseReference, baseSource.Layers, context.Source.Layers, inventory, installed);
            inventory = inventory with { Base = split, Packages = packages };
        }

        return new Ownership(inventory, owners) { Claimed = context.Options.Breakdown ? claimed : null };
    }
}
