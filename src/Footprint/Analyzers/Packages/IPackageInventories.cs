namespace Footprint.Analyzers.Packages;

/// <summary>
/// A result that carries package inventories: what the inventory, libc and release checks consume from every
/// ecosystem at once, so a new ecosystem is picked up by registering it, without naming it anywhere else.
/// </summary>
public interface IPackageInventories
{
    IReadOnlyList<PackageInventory> Inventories { get; }
}
