using System.Diagnostics;

namespace Footprint.Measures.Running;

/// <summary>
/// Runs one boot under QEMU and decides how it ended from four signals together: failure patterns on the console (end
/// at once), a prompt on its last line followed by quiet, QEMU's CPU time (/proc/PID/stat: a guest that halts stops
/// using it), and a no-progress watchdog (console unchanged and CPU idle). A quiet, idle console that shows no prompt
/// gets Enter pressed (twice at most): shells print their prompt again, busybox's askfirst consoles need it. Then,
/// if asked, types the <see cref="MemInfoProbe"/> after a settle time. QEMU is killed on every path out.
/// </summary>
public static class BootSession
{
    private const int PollMilliseconds = 100;
    private const int ScreenPollMilliseconds = 300;
    private const int MaxPokes = 2;
    private const double PokeAfterQuietSeconds = 2.5;
    private const int KeptLines = 20;

    public static BootAttempt Run(BootPlan plan, int memoryMiB, BootLimits limits, bool probe, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        using var machine = QemuMachine.Start(plan, memoryMiB, clock);
        var cpu = new CpuWatch(machine, clock);
        var answers = new List<string>();
        var pokes = 0;
        double lastPoke = 0;
        double? promptAt = null;
        BootOutcome? outcome = null;
        while (outcome is null)
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Sleep(plan.Route == ConsoleRoute.VgaText ? ScreenPollMilliseconds : PollMilliseconds);
            var now = clock.Elapsed.TotalSeconds;
            var exited = machine.HasExited;
            Refresh(machine, plan);
            cpu.Sample();
            var text = machine.Log.Text;
            if (BootSignals.Failure(text) is { } failure)
            {
                // Let the rest of the panic message arrive for the report.
                Thread.Sleep(300);
                Refresh(machine, plan);
                outcome = BootSignals.Failure(machine.Log.Text) ?? failure;
                break;
            }

            if (exited)
            {
                // The reader thread may still hold QEMU's last output (a panic that ended the guest through panic=-1).
                Thread.Sleep(300);
                outcome = BootSignals.Failure(machine.Log.Text);
                if (outcome is not null)
                {
                    break;
                }

                outcome = machine.Log.Appended == 0 ? (machine.Stderr.Length > 0 && now < 2 ? BootOutcome.QemuError : BootOutcome.NoConsoleOutput) : BootOutcome.Exited;
                break;
            }

            var last = LastLine(text, plan.Route);
            var recent = string.Join(" ", machine.Log.LastLines(3));
            var quiet = now - (machine.Log.LastChangeSeconds ?? 0);
            if (BootSignals.IsPasswordPrompt(last))
            {
                outcome = BootOutcome.LoginRequired;
                break;
            }

            if (BootSignals.Answer(BootSignals.IsLoginPrompt(last) ? last : recent) is { } answer && !answers.Contains(answer.Profile))
            {
                if (answer.Profile == "root-login")
                {
                    promptAt ??= machine.Log.LastChangeSeconds;
                }

                answers.Add(answer.Profile);
                machine.Type(answer.Keys);
                continue;
            }

            if (BootSignals.IsPrompt(last) && !BootSignals.IsLoginPrompt(last) && quiet >= limits.PromptQuietSeconds)
            {
                promptAt ??= machine.Log.LastChangeSeconds;
                outcome = BootOutcome.Booted;
                break;
            }

            var idle = cpu.IsIdle(limits.IdleCpuRate);
            if (machine.Log.Appended > 0 && idle && quiet >= PokeAfterQuietSeconds && pokes < MaxPokes && now - lastPoke >= PokeAfterQuietSeconds)
            {
                // A prompt may hide behind a late kernel message: Enter makes the shell print it again.
                promptAt ??= machine.Log.LastChangeSeconds;
                pokes++;
                lastPoke = now;
                machine.Type("\n");
                continue;
            }

            // Before any output the watchdog stays off: a big kernel decompresses for seconds before it prints, and on
            // a loaded host QEMU's share of the CPU can look idle. Only the time limit ends a silent boot.
            if (machine.Log.Appended > 0 && idle && quiet >= limits.NoProgressSeconds && now - lastPoke >= PokeAfterQuietSeconds)
            {
                outcome = BootOutcome.Stalled;
                break;
            }

            if (now >= limits.TimeoutSeconds)
            {
                outcome = machine.Log.Appended == 0 ? BootOutcome.NoConsoleOutput : BootOutcome.Timeout;
            }
        }

        var decided = clock.Elapsed.TotalSeconds;
        MemInfo? memory = null;
        string? probeError = null;
        if (outcome == BootOutcome.Booted && probe)
        {
            (memory, probeError) = Probe(machine, plan, memoryMiB, limits, cpu, clock, cancel);
        }

        return new BootAttempt
        {
            MemoryMiB = memoryMiB,
            Outcome = outcome.Value,
            Seconds = Math.Round(decided, 2),
            PromptSeconds = outcome == BootOutcome.Booted ? Math.Round(promptAt ?? decided, 2) : null,
            LastLines = machine.Log.LastLines(KeptLines),
            FailureLine = outcome == BootOutcome.Booted ? null : BootSignals.FailureLine(machine.Log.Text),
            KernelVersion = BootSignals.KernelVersion(machine.Log.Text),
            Answers = answers,
            Memory = memory,
            ProbeError = probeError,
            QemuStderr = machine.Stderr.Length > 0 ? ConsoleText.Clean(System.Text.Encoding.UTF8.GetBytes(machine.Stderr.Trim())) : null,
        };
    }

    private static (MemInfo?, string?) Probe(QemuMachine machine, BootPlan plan, int memoryMiB, BootLimits limits, CpuWatch cpu, Stopwatch clock, CancellationToken cancel)
    {
        // Settle: at least SettleSeconds, then until the CPU idles (10 s at most).
        var settleStart = clock.Elapsed.TotalSeconds;
        while (clock.Elapsed.TotalSeconds - settleStart < limits.SettleSeconds
            || (!cpu.IsIdle(limits.IdleCpuRate) && clock.Elapsed.TotalSeconds - settleStart < limits.SettleSeconds + 10))
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Sleep(PollMilliseconds * 2);
            cpu.Sample();
        }

        machine.Type(MemInfoProbe.Command);
        var start = clock.Elapsed.TotalSeconds;
        var mounted = false;
        while (clock.Elapsed.TotalSeconds - start < limits.ProbeSeconds)
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Sleep(plan.Route == ConsoleRoute.VgaText ? ScreenPollMilliseconds : PollMilliseconds);
            if (machine.HasExited)
            {
                return (null, "the guest exited while the memory probe ran");
            }

            Refresh(machine, plan);
            if (MemInfoProbe.Parse(machine.Log.Text, memoryMiB) is { } m)
            {
                return (mounted ? m with { Note = ProcMounted } : m, null);
            }

            var empty = MemInfoProbe.EmptyAnswers(machine.Log.Text);
            if (mounted && empty >= 2)
            {
                return (null, "the guest has no /proc/meminfo, even after mount -t proc (a kernel without procfs, as FLOPPINUX's): idle memory cannot be read inside the guest");
            }

            if (!mounted && empty >= 1)
            {
                // No /proc in the guest: mount it once and ask again.
                mounted = true;
                machine.Type(MemInfoProbe.MountProc + MemInfoProbe.Command);
            }
        }

        return (null, $"the memory probe did not answer within {limits.ProbeSeconds} s");
    }

    private const string ProcMounted = "the guest had no /proc mounted: Footprint ran mkdir -p /proc; mount -t proc proc /proc before reading /proc/meminfo";

    private static void Refresh(QemuMachine machine, BootPlan plan)
    {
        if (plan.Route != ConsoleRoute.VgaText || machine.HasExited)
        {
            return;
        }

        try
        {
            machine.Log.ReplaceScreen(machine.ReadScreen());
        }
        catch (IOException)
        {
            // QEMU is going away: the last screen read stands.
        }
    }

    private static string LastLine(string text, ConsoleRoute route)
    {
        if (route == ConsoleRoute.VgaText)
        {
            return text.Split('\n').Select(l => l.TrimEnd()).LastOrDefault(l => l.Length > 0) ?? "";
        }

        var newline = text.LastIndexOf('\n');
        return newline < 0 ? text : text[(newline + 1)..];
    }

    /// <summary>QEMU's CPU time over a sliding window of about two seconds.</summary>
    private sealed class CpuWatch(QemuMachine machine, Stopwatch clock)
    {
        private readonly Queue<(double At, double Cpu)> _samples = new();

        public void Sample()
        {
            var cpu = machine.CpuSeconds();
            if (double.IsNaN(cpu))
            {
                return;
            }

            var now = clock.Elapsed.TotalSeconds;
            _samples.Enqueue((now, cpu));
            while (_samples.Count > 2 && now - _samples.Peek().At > 2)
            {
                _ = _samples.Dequeue();
            }
        }

        public bool IsIdle(double rate)
        {
            if (_samples.Count < 2)
            {
                return false;
            }

            var first = _samples.Peek();
            var last = _samples.Last();
            var span = last.At - first.At;
            return span >= 1 && (last.Cpu - first.Cpu) / span < rate;
        }
    }
}
