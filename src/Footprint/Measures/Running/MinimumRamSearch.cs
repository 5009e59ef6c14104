using System.Diagnostics;

namespace Footprint.Measures.Running;

/// <summary>
/// Bisects -m in 1 MiB steps between a size that failed and one that booted. It starts from the RAM-resident lower
/// bound (what the system must hold in RAM plus the kernel's init_size, which no boot can go under; if that boots,
/// the floor halves until a size fails), and from the reference size that booted. Each boot's limit is scaled from
/// the reference boot's time, and a failing boot ends as soon as its failure shows. The boundary is then confirmed: the
/// candidate must boot k times out of k; any failure there marks it flaky and the next size up is tried. Boots run one
/// at a time.
/// </summary>
public static class MinimumRamSearch
{
    /// <summary>Times the floor may halve when the lower bound itself boots.</summary>
    private const int MaxFloorHalvings = 4;

    /// <summary>Sizes tried upward from a flaky candidate before giving up.</summary>
    private const int MaxConfirmSteps = 8;

    /// <summary>The smallest -m QEMU is given.</summary>
    public const int FloorMiB = 4;

    public static MinimumRam Search(Func<int, double, BootAttempt> boot, int lowerBoundMiB, int referenceMiB, double referenceSeconds, int repeats, double maxTimeoutSeconds, Action<string>? progress = null)
    {
        var wall = Stopwatch.StartNew();
        var timeout = Math.Min(maxTimeoutSeconds, Math.Max(15, referenceSeconds * 3 + 5));
        var trials = new List<SizeTrial>();
        var outcomes = new Dictionary<int, List<BootOutcome>>();

        bool Try(int mib)
        {
            var attempt = boot(mib, timeout);
            trials.Add(new SizeTrial(mib, Describe(attempt.Outcome), attempt.Seconds));
            if (!outcomes.TryGetValue(mib, out var list))
            {
                outcomes[mib] = list = [];
            }

            list.Add(attempt.Outcome);
            progress?.Invoke($"boot {trials.Count}: -m {mib} MiB: {Describe(attempt.Outcome)} ({attempt.Seconds:0.0} s)");
            return attempt.Outcome == BootOutcome.Booted;
        }

        var hi = referenceMiB;
        var lo = Math.Clamp(lowerBoundMiB, FloorMiB, Math.Max(FloorMiB, hi - 1));
        var halvings = 0;
        while (lo < hi && Try(lo))
        {
            hi = lo;
            if (lo == FloorMiB || ++halvings > MaxFloorHalvings)
            {
                lo = -1;
                break;
            }

            lo = Math.Max(FloorMiB, lo / 2);
        }

        if (lo >= 0)
        {
            while (hi - lo > 1)
            {
                var mid = lo + ((hi - lo) / 2);
                if (Try(mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }
        }

        // Confirm: k of k at the candidate; a failure there makes it flaky and moves the candidate up.
        int? minimum = null;
        for (var candidate = hi; candidate <= referenceMiB && candidate < hi + MaxConfirmSteps; candidate++)
        {
            var ok = true;
            var done = outcomes.TryGetValue(candidate, out var seen) ? seen.Count(o => o == BootOutcome.Booted) : 0;
            if (seen is not null && seen.Any(o => o != BootOutcome.Booted))
            {
                ok = false;
            }

            for (var i = done; ok && i < repeats; i++)
            {
                ok = Try(candidate);
            }

            if (ok)
            {
                minimum = candidate;
                break;
            }
        }

        var flaky = outcomes.Where(kv => kv.Value.Contains(BootOutcome.Booted) && kv.Value.Any(o => o != BootOutcome.Booted)).Select(kv => kv.Key).Order().ToList();
        var failures = outcomes.Where(kv => kv.Value.Any(o => o != BootOutcome.Booted))
            .OrderBy(kv => kv.Key)
            .Select(kv => new SizeFailures(kv.Key, kv.Value.Where(o => o != BootOutcome.Booted).Distinct().Select(Describe).ToList())).ToList();
        return new MinimumRam
        {
            MinimumMiB = minimum,
            Repeats = repeats,
            FlakyMiB = flaky,
            Failures = failures,
            Trials = trials,
            LowerBoundMiB = lowerBoundMiB,
            ReferenceMiB = referenceMiB,
            TimeoutSeconds = Math.Round(timeout, 1),
            WallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
        };
    }

    /// <summary>The kebab-case name of an outcome, as reports print it.</summary>
    public static string Describe(BootOutcome outcome) => outcome switch
    {
        BootOutcome.Booted => "booted",
        BootOutcome.Panic => "panic",
        BootOutcome.Oom => "oom",
        BootOutcome.InitramfsError => "initramfs-error",
        BootOutcome.NoInit => "no-init",
        BootOutcome.RescueShell => "rescue-shell",
        BootOutcome.LoginRequired => "login-required",
        BootOutcome.NoConsoleOutput => "no-console-output",
        BootOutcome.Stalled => "stalled",
        BootOutcome.Timeout => "timeout",
        BootOutcome.Exited => "exited",
        _ => "qemu-error",
    };
}
