using System.Globalization;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// A process's memory as /proc/PID/smaps_rollup sums it over its mappings (Linux 4.14+, proc(5)), in KiB. PSS
/// divides each shared page among the processes mapping it, so PSS sums over processes to what they hold together;
/// RSS counts every mapped page in full (shared libraries again for each process), so its sum is an upper bound.
/// </summary>
public sealed record SmapsRollup
{
    public long RssKiB { get; init; }

    public long PssKiB { get; init; }

    public long PssAnonKiB { get; init; }

    public long PssFileKiB { get; init; }

    public long PssShmemKiB { get; init; }

    public long SharedCleanKiB { get; init; }

    public long SharedDirtyKiB { get; init; }

    public long PrivateCleanKiB { get; init; }

    public long PrivateDirtyKiB { get; init; }

    /// <summary>Anonymous pages mapped (counted in full, like RSS): the process's own heap and stacks, which do not depend on the page cache.</summary>
    public long AnonymousKiB { get; init; }

    public long SwapKiB { get; init; }

    public long SwapPssKiB { get; init; }

    /// <summary>Parses smaps_rollup's "Name: N kB" lines; null when it has none (a kernel thread, a zombie).</summary>
    public static SmapsRollup? Parse(string text)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.EndsWith(" kB", StringComparison.Ordinal))
            {
                continue;
            }

            if (long.TryParse(line.AsSpan(colon + 1, line.Length - colon - 4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                fields[line[..colon]] = kib;
            }
        }

        if (!fields.ContainsKey("Rss"))
        {
            return null;
        }

        long F(string name) => fields.GetValueOrDefault(name);
        return new SmapsRollup
        {
            RssKiB = F("Rss"),
            PssKiB = F("Pss"),
            PssAnonKiB = F("Pss_Anon"),
            PssFileKiB = F("Pss_File"),
            PssShmemKiB = F("Pss_Shmem"),
            SharedCleanKiB = F("Shared_Clean"),
            SharedDirtyKiB = F("Shared_Dirty"),
            PrivateCleanKiB = F("Private_Clean"),
            PrivateDirtyKiB = F("Private_Dirty"),
            AnonymousKiB = F("Anonymous"),
            SwapKiB = F("Swap"),
            SwapPssKiB = F("SwapPss"),
        };
    }

    public static SmapsRollup Sum(IEnumerable<SmapsRollup> all)
    {
        var list = all.ToList();
        return new SmapsRollup
        {
            RssKiB = list.Sum(m => m.RssKiB),
            PssKiB = list.Sum(m => m.PssKiB),
            PssAnonKiB = list.Sum(m => m.PssAnonKiB),
            PssFileKiB = list.Sum(m => m.PssFileKiB),
            PssShmemKiB = list.Sum(m => m.PssShmemKiB),
            SharedCleanKiB = list.Sum(m => m.SharedCleanKiB),
            SharedDirtyKiB = list.Sum(m => m.SharedDirtyKiB),
            PrivateCleanKiB = list.Sum(m => m.PrivateCleanKiB),
            PrivateDirtyKiB = list.Sum(m => m.PrivateDirtyKiB),
            AnonymousKiB = list.Sum(m => m.AnonymousKiB),
            SwapKiB = list.Sum(m => m.SwapKiB),
            SwapPssKiB = list.Sum(m => m.SwapPssKiB),
        };
    }
}
