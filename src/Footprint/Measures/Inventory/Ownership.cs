namespace Footprint.Measures.Inventory;

/// <summary>The packages reconciled with the files present, and (for `sbom --files`) which package owns each file.</summary>
public sealed record Ownership(InventoryReport Report, FileOwners? Owners);
