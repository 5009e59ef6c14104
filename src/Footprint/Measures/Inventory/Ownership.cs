namespace Footprint.Measures.Inventory;

/// <summary>The packages reconciled with the files present, and (for `sbom --files`) which package owns each file.</summary>
public sealed record Ownership(InventoryReport Report, FileOwners? Owners)
{
    /// <summary>Each owned file with the package (index into <see cref="InventoryReport.Packages"/>) that claimed it first; only when the breakdown is wanted.</summary>
    internal OwnedFiles? Claimed { get; init; }
}
