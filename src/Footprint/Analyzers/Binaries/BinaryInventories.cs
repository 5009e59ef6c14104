using Footprint.Analyzers.Packages;

namespace Footprint.Analyzers.Binaries;

/// <summary>Software found in the ELF files themselves: BusyBox and Buildroot (ecosystem "binary") and Go modules ("go-module").</summary>
public sealed record BinaryInventories(PackageInventory Binaries, PackageInventory GoModules) : IPackageInventories
{
    public IReadOnlyList<PackageInventory> Inventories => [Binaries, GoModules];
}
