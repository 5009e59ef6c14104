using Footprint.Measures.Files;

namespace Footprint.Reports.Comparisons;

/// <summary>
/// Regular files of two squashed views matched by path and compared by SHA-256 (the digests `sbom --files` reports,
/// computed while each layer streamed past; nothing is extracted or read twice).
/// </summary>
public static class FileDiff
{
    public static (IReadOnlyList<FileChange> Changes, ChangeTotals Totals) Of(IReadOnlyList<FileReport> old, IReadOnlyList<FileReport> @new)
    {
        var before = Index(old);
        var after = Index(@new);
        var changes = new List<FileChange>();
        var unchanged = 0;
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var o);
            after.TryGetValue(path, out var n);
            if (o is not null && n is not null && string.Equals(o.Sha256, n.Sha256, StringComparison.Ordinal))
            {
                unchanged++;
                continue;
            }

            var change = o is null ? "added" : n is null ? "removed" : "changed";
            changes.Add(new FileChange(path, change, o?.Bytes, n?.Bytes, (n?.Bytes ?? 0) - (o?.Bytes ?? 0), o?.Sha256, n?.Sha256));
        }

        var added = changes.Where(c => c.Change == "added").Sum(c => c.NewBytes ?? 0);
        var removed = changes.Where(c => c.Change == "removed").Sum(c => c.OldBytes ?? 0);
        var changed = changes.Where(c => c.Change == "changed").Sum(c => c.DeltaBytes);
        return (changes, new ChangeTotals(changes.Count(c => c.Change == "added"), changes.Count(c => c.Change == "removed"),
            changes.Count(c => c.Change == "changed"), unchanged, added, removed, changed, added - removed + changed));
    }

    private static Dictionary<string, FileReport> Index(IReadOnlyList<FileReport> files)
    {
        var index = new Dictionary<string, FileReport>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            index.TryAdd(f.Path, f);
        }

        return index;
    }
}
