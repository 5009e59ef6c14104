using Footprint.Advisories.Versions;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Measures.Inventory;

namespace Footprint.Reports.Comparisons;

/// <summary>
/// Packages of two inventories matched by (ecosystem, name, architecture) and ordered by the ecosystem's own version
/// comparer (apk-tools, dpkg, opkg, rpm rules: the ones vulnerability matching uses), so "1.36.1-r29" after
/// "1.36.1-r7" is an upgrade, not a string comparison's downgrade.
/// </summary>
public static class PackageDiff
{
    public static (IReadOnlyList<PackageChange> Changes, ChangeTotals Totals) Of(InventoryReport? old, InventoryReport? @new)
    {
        var before = Index(old);
        var after = Index(@new);
        var changes = new List<PackageChange>();
        var unchanged = 0;
        foreach (var key in before.Keys.Union(after.Keys).OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal)
            .ThenBy(k => k.Item3, StringComparer.Ordinal))
        {
            before.TryGetValue(key, out var o);
            after.TryGetValue(key, out var n);
            var change = o is null ? "added" : n is null ? "removed" : Direction(o, n);
            if (change is null)
            {
                unchanged++;
                continue;
            }

            var p = (o ?? n)!;
            long? delta = (o is not null && o.DeclaredBytes is null) || (n is not null && n.DeclaredBytes is null) ? null
                : (n?.DeclaredBytes ?? 0) - (o?.DeclaredBytes ?? 0);
            changes.Add(new PackageChange(p.Ecosystem, p.Name, p.Architecture, change, o?.Version, n?.Version, o?.DeclaredBytes, n?.DeclaredBytes, delta,
                o?.MeasuredBytes, n?.MeasuredBytes, o is not null && n is not null ? Problem(o, n) : null));
        }

        long Sum(string kind, Func<PackageChange, long?> bytes) => changes.Where(c => c.Change == kind).Sum(c => bytes(c) ?? 0);
        var added = Sum("added", c => c.NewBytes);
        var removed = Sum("removed", c => c.OldBytes);
        var changed = changes.Where(c => c.Change is not ("added" or "removed")).Sum(c => c.DeltaBytes ?? 0);
        var totals = new ChangeTotals(changes.Count(c => c.Change == "added"), changes.Count(c => c.Change == "removed"),
            changes.Count(c => c.Change is not ("added" or "removed")), unchanged, added, removed, changed, added - removed + changed);
        return (changes, totals);
    }

    /// <summary>upgraded, downgraded, changed (no version order for the ecosystem, or equal under it though spelt otherwise), or null when the versions are equal.</summary>
    public static string? Direction(PackageReport old, PackageReport @new)
    {
        if (string.Equals(old.Version, @new.Version, StringComparison.Ordinal))
        {
            return null;
        }

        if (VulnerabilityMatcher.EcosystemOf(old.Ecosystem) is not { } ecosystem)
        {
            return "changed";
        }

        // The package manager's own order even for a version its rules call invalid (OpenWrt's "git-15.079..." does not
        // start with a digit): opkg and dpkg order any two strings and upgrade by that order. The change says so in
        // VersionProblem rather than hiding the direction.
        return VersionComparers.For(ecosystem).Compare(@new.Version, old.Version) switch
        {
            > 0 => "upgraded",
            < 0 => "downgraded",
            // Equal under the ecosystem's rules though spelt differently ("1.0" and "1.00"): still not the same record.
            _ => "changed",
        };
    }

    /// <summary>Why a version of the pair is not valid in its ecosystem (the direction then rests on the tool's order for any string), or null.</summary>
    public static string? Problem(PackageReport old, PackageReport @new)
    {
        if (VulnerabilityMatcher.EcosystemOf(old.Ecosystem) is not { } ecosystem)
        {
            return null;
        }

        var comparer = VersionComparers.For(ecosystem);
        return comparer.Problem(old.Version) is { } o ? $"{old.Version}: {o}" : comparer.Problem(@new.Version) is { } n ? $"{@new.Version}: {n}" : null;
    }

    /// <summary>The first record of each key, in inventory order (a database listing a package twice keeps its first).</summary>
    private static Dictionary<(string, string, string), PackageReport> Index(InventoryReport? inventory)
    {
        var index = new Dictionary<(string, string, string), PackageReport>();
        foreach (var p in inventory?.Packages ?? [])
        {
            index.TryAdd((p.Ecosystem, p.Name, p.Architecture ?? string.Empty), p);
        }

        return index;
    }
}
