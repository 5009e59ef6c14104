namespace Footprint.Measures.Running;

/// <summary>
/// `footprint boot`: plans the boot, boots once at the reference size with the memory probe, boots k-1 more times
/// there for the time to prompt, and bisects the minimum RAM when asked. Boots run one at a time.
/// </summary>
public static class RunningMemoryMeasure
{
    private const long MiB = 1 << 20;

    /// <exception cref="Formats.FootprintFormatException">The artifact cannot be planned (see <see cref="BootPlanner"/>).</exception>
    public static RunningMemoryReport Run(BootRequest request, RunningOptions options, Action<string>? progress = null, CancellationToken cancel = default)
    {
        using var plan = BootPlanner.Plan(request);
        progress?.Invoke($"plan {plan.Name}: kernel {plan.KernelSource}, initrds [{string.Join(", ", plan.InitrdSources)}], console {(plan.Route == ConsoleRoute.Serial ? "serial" : "vga-text")} ({plan.ConsoleReason}), added \"{plan.Added}\"");
        var limits = new BootLimits { TimeoutSeconds = options.TimeoutSeconds, NoProgressSeconds = Math.Min(12, options.TimeoutSeconds) };
        var boots = 1;
        var reference = BootSession.Run(plan, options.MemoryMiB, limits, probe: true, cancel);
        progress?.Invoke($"boot 1: -m {options.MemoryMiB} MiB: {MinimumRamSearch.Describe(reference.Outcome)} ({reference.Seconds:0.0} s)");
        var report = new RunningMemoryReport
        {
            Plan = BootPlanReport.Of(plan),
            Emulator = EmulatorReport.Detect(),
            Outcome = MinimumRamSearch.Describe(reference.Outcome),
            KernelVersion = reference.KernelVersion ?? plan.KernelVersion,
            Idle = reference.Memory,
            ProbeError = reference.ProbeError,
            Answers = reference.Answers,
            LastConsoleLines = reference.LastLines,
            FailureLine = reference.FailureLine,
            Boots = boots,
        };
        if (reference.Outcome != BootOutcome.Booted)
        {
            return report;
        }

        var samples = new List<double> { reference.PromptSeconds ?? reference.Seconds };
        for (var i = 1; i < options.Repeats; i++)
        {
            var again = BootSession.Run(plan, options.MemoryMiB, limits, probe: false, cancel);
            boots++;
            progress?.Invoke($"boot {boots}: -m {options.MemoryMiB} MiB: {MinimumRamSearch.Describe(again.Outcome)} ({again.Seconds:0.0} s)");
            if (again.PromptSeconds is { } s)
            {
                samples.Add(s);
            }
        }

        report = report with { TimeToPrompt = new TimeToPrompt(Median(samples), samples, options.MemoryMiB), Boots = boots };
        if (!options.MinimumRam)
        {
            return report;
        }

        var floorBytes = (options.RamResidentBytes ?? 0) + (plan.KernelInitSizeBytes ?? 0);
        var lowerMiB = (int)Math.Max(MinimumRamSearch.FloorMiB, (floorBytes + MiB - 1) / MiB);
        var slowest = samples.Max();
        var minimum = MinimumRamSearch.Search(
            (mib, timeout) => BootSession.Run(plan, mib, limits with { TimeoutSeconds = timeout }, probe: false, cancel),
            lowerMiB, options.MemoryMiB, slowest, options.Repeats, options.TimeoutSeconds, progress);
        return report with { MinimumRam = minimum, Boots = boots + minimum.Boots };
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 2);
    }
}
