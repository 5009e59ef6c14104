using System.Globalization;
using System.Text;
using Footprint.Measures.Running;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint boot`'s table: the plan, what was added, the outcome and the figures, one fact a line.</summary>
internal static class BootTable
{
    public static string Render(string artifact, RunningMemoryReport r)
    {
        var s = new StringBuilder();
        void Row(string name, string? value)
        {
            if (value is not null)
            {
                s.Append(CultureInfo.InvariantCulture, $"{name,-16}{TerminalText.Escape(value)}\n");
            }
        }

        var p = r.Plan;
        Row("artifact", artifact);
        Row("plan", $"{p.Name}: kernel {p.Kernel}" + (p.Initrds.Count > 0 ? $", initrds {string.Join(" + ", p.Initrds)}" : ", no initrd"));
        Row("config", p.Config);
        Row("console", p.Console + (p.ConsoleChosenBy is { } by ? $" (chosen by {by})" : ""));
        Row("own cmdline", p.OwnCommandLine.Length == 0 ? "(none)" : p.OwnCommandLine);
        Row("added", p.Added);
        Row("medium", p.Drive);
        Row("emulator", $"{r.Emulator.Qemu}; {r.Emulator.Firmware}; machine {r.Emulator.Machine}, {r.Emulator.Accelerator}");
        Row("kernel", r.KernelVersion);
        Row("outcome", r.Outcome + (r.Answers.Count > 0 ? $" (answered: {string.Join(", ", r.Answers)})" : ""));
        if (r.TimeToPrompt is { } t)
        {
            Row("time to prompt", $"{t.MedianSeconds:0.00} s (median of {t.Samples.Count} at -m {t.MemoryMiB} MiB: {string.Join(", ", t.Samples.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))})");
        }

        if (r.Idle is { } m)
        {
            Row("idle used", m.UsedKiB is { } u ? $"{Mib(u)} (MemTotal {Mib(m.MemTotalKiB)} - MemAvailable {Mib(m.MemAvailableKiB!.Value)}) at -m {m.MachineMiB} MiB" : m.Note);
            Row("meminfo", $"MemFree {Mib(m.MemFreeKiB)}, Buffers {Opt(m.BuffersKiB)}, Cached {Opt(m.CachedKiB)}, Shmem {Opt(m.ShmemKiB)}, SReclaimable {Opt(m.SReclaimableKiB)}");
        }

        Row("probe", r.ProbeError);
        if (r.MinimumRam is { } min)
        {
            Row("minimum RAM", min.MinimumMiB is { } mm ? $"{mm} MiB (booted {min.Repeats} of {min.Repeats})" : "not confirmed below the reference size");
            Row("flaky band", min.FlakyMiB.Count == 0 ? "none seen" : string.Join(", ", min.FlakyMiB.Select(x => $"{x} MiB")));
            Row("failures", min.Failures.Count == 0 ? "none" : string.Join("; ", min.Failures.Select(f => $"{f.MemoryMiB} MiB {string.Join("/", f.Outcomes)}")));
            Row("search", $"{min.Boots} boots in {min.WallSeconds:0.0} s, from the lower bound {min.LowerBoundMiB} MiB to the reference {min.ReferenceMiB} MiB, {min.TimeoutSeconds:0} s limit per boot");
        }

        foreach (var note in p.Notes)
        {
            Row("note", note);
        }

        if (!r.Booted)
        {
            Row("failure line", r.FailureLine);
            s.Append("last console lines:\n");
            foreach (var line in r.LastConsoleLines)
            {
                s.Append("  ").Append(TerminalText.Escape(line)).Append('\n');
            }
        }

        return s.ToString();
    }

    private static string Mib(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Opt(long? kib) => kib is { } k ? Mib(k) : "absent";
}
