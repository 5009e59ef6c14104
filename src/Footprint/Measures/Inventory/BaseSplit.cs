using Footprint.Analyzers.Installed;
using Footprint.Sources;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Splits an image into what its base brought and what it added (`--base`). A base is known when its layers are
/// the image's first layers: compared by diff id (the digest of the uncompressed layer, the same however it was
/// stored or recompressed), else by blob digest. Packages are then "base", "base-changed" (a later layer's copy
/// of the database records another version) or "added", from each ecosystem's layer attribution (<see cref="Analyzers.Packages.LayerAttribution"/>).
/// </summary>
public static class BaseSplit
{
    public static (BaseSplitReport Split, IReadOnlyList<PackageReport> Packages) Compute(
        string reference, IReadOnlyList<LayerDescriptor> baseLayers, IReadOnlyList<LayerDescriptor> layers, InventoryReport inventory, InstalledReport installed)
    {
        if (Mismatch(baseLayers, layers) is { } reason)
        {
            return (new BaseSplitReport { Reference = reference, Matched = false, Reason = reason, BaseLayers = 0 }, inventory.Packages);
        }

        var n = baseLayers.Count;
        var packages = inventory.Packages.Select(p => p with { Origin = Origin(p, n) }).ToList();
        var added = installed.Layers.Where(l => l.Index >= n).ToList();
        return (new BaseSplitReport
        {
            Reference = reference,
            Matched = true,
            BaseLayers = n,
            BasePackages = packages.Count(p => p.Origin == "base"),
            ChangedPackages = packages.Count(p => p.Origin == "base-changed"),
            AddedPackages = packages.Count(p => p.Origin == "added"),
            AddedBytes = added.Sum(l => l.AddedBytes + l.ModifiedBytes),
            RemovedBytes = added.Sum(l => l.RemovedBytes),
        }, packages);
    }

    private static string Origin(PackageReport p, int baseLayers)
    {
        var introduced = p.IntroducedInLayer ?? p.Evidence.Layer ?? 0;
        if (introduced >= baseLayers)
        {
            return "added";
        }

        return p.ChangedInLayers is { } changed && changed.Any(l => l >= baseLayers) ? "base-changed" : "base";
    }

    /// <summary>Why <paramref name="baseLayers"/> is not a prefix of <paramref name="layers"/>; null when it is.</summary>
    private static string? Mismatch(IReadOnlyList<LayerDescriptor> baseLayers, IReadOnlyList<LayerDescriptor> layers)
    {
        if (baseLayers.Count == 0)
        {
            return "the base has no layers";
        }

        if (baseLayers.Count > layers.Count)
        {
            return $"the base has {baseLayers.Count} layers, the image {layers.Count}";
        }

        for (var i = 0; i < baseLayers.Count; i++)
        {
            var (b, l) = (baseLayers[i], layers[i]);
            var (bk, lk) = b.DiffId is not null && l.DiffId is not null ? (b.DiffId, l.DiffId) : (b.Digest, l.Digest);
            if (bk is null || lk is null || !string.Equals(bk, lk, StringComparison.Ordinal))
            {
                return $"layer {i} differs: base {bk ?? "(no digest)"}, image {lk ?? "(no digest)"}";
            }
        }

        return null;
    }
}
