namespace Footprint.Measures.Breakdown;

/// <summary>The installed bytes a package owns: its files no earlier package claimed (so the shares add up to inventory.ownedBytes).</summary>
public sealed record PackageShare(string Purl, string Name, string Version, string Ecosystem, long Bytes, long Files);
