namespace Footprint.Analyzers.Packages;

/// <summary>What one package database (or one way of recognising software) found.</summary>
public sealed record PackageInventory(string Ecosystem, IReadOnlyList<Package> Packages, IReadOnlyList<PackageUnknown> Unknowns, IReadOnlyList<string> Databases)
    : IPackageInventories
{
    /// <summary>
    /// Per package name: the layer that introduced it and the later layers that changed it, for ecosystems that
    /// attribute layers (<see cref="ILayerAttributed"/>) in an artifact of several layers; null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, LayerAttribution>? Layers { get; init; }

    public IReadOnlyList<PackageInventory> Inventories => [this];
}
