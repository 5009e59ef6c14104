using System.Diagnostics;
using Footprint.Sources;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// `footprint boot IMAGE` for a container image: materialise its merged filesystem privately, resolve its entrypoint,
/// run it in a bubblewrap sandbox, let it settle, read the memory of every process in the sandbox, kill it, delete
/// everything. Or say plainly why nothing ran.
/// </summary>
public static class ContainerMeasure
{
    private const int OutputLines = 20;

    /// <exception cref="Formats.FootprintFormatException">A layer of the image cannot be read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sandbox is killed and the temporary root deleted first.</exception>
    public static ContainerReport Run(IArtifactSource image, ContainerOptions options, Action<string>? progress = null, CancellationToken cancel = default)
    {
        var report = new ContainerReport
        {
            Outcome = "not-runnable",
            ImageKind = image.Kind.Name,
            SettleSeconds = options.SettleSeconds,
            TimeoutSeconds = options.TimeoutSeconds,
        };
        ContainerRootfs rootfs;
        try
        {
            rootfs = ContainerRootfs.Materialise(image, options, cancel);
        }
        catch (ContainerLimitException e)
        {
            return report with { Outcome = "too-large", Message = e.Message };
        }

        using (rootfs)
        {
            report = report with { Rootfs = ContainerRootfsReport.Of(rootfs, options.MaxRootfsBytes) };
            progress?.Invoke($"container: {rootfs.RegularFiles} files, {rootfs.FileBytes} bytes written to a private root");
            var launch = ContainerEntrypoint.Resolve(image.Config, rootfs, out var refusal);
            if (launch is null)
            {
                return report with
                {
                    Outcome = refusal!.Outcome,
                    Message = refusal.Message,
                    Command = [.. (image.Config?.Entrypoint ?? []), .. (image.Config?.Cmd ?? [])],
                    Notes = rootfs.Notes,
                };
            }

            report = report with
            {
                Command = launch.Argv,
                Executable = launch.Executable,
                ExecutableKind = launch.ExecutableKind,
                Uid = launch.Uid,
                Gid = launch.Gid,
                UserSource = launch.UserSource,
                WorkingDir = launch.WorkingDir,
                EnvironmentNames = [.. launch.Environment.Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)])],
                Sandbox = [.. ContainerSandbox.Arguments(launch, "ROOTFS")],
                Notes = [.. rootfs.Notes, .. launch.Notes],
            };
            progress?.Invoke($"container: running {string.Join(' ', launch.Argv)} as {launch.Uid}:{launch.Gid}, settling {options.SettleSeconds:0.#} s");
            var clock = Stopwatch.StartNew();
            using var sandbox = ContainerSandbox.Start(options.Bwrap, launch, rootfs.Root, options.TimeoutSeconds);
            // A settle time past the wall-clock limit is not shortened: the watchdog ends the sandbox first (timeout).
            if (sandbox.WaitForExit(TimeSpan.FromSeconds(options.SettleSeconds), cancel))
            {
                return Ended(report, sandbox, clock);
            }

            var processes = SandboxProcesses.Measure(sandbox.ProcessId);
            var elapsed = Math.Round(clock.Elapsed.TotalSeconds, 2);
            if (sandbox.HasExited || processes.Count == 0)
            {
                sandbox.WaitForExit(TimeSpan.FromSeconds(1), cancel);
                return Ended(report, sandbox, clock);
            }

            progress?.Invoke($"container: {processes.Count} processes, PSS {processes.Sum(p => p.Memory.PssKiB)} KiB, RSS {processes.Sum(p => p.Memory.RssKiB)} KiB after {elapsed:0.0} s");
            return report with
            {
                Outcome = "running",
                ElapsedSeconds = elapsed,
                Processes = processes,
                Total = SmapsRollup.Sum(processes.Select(p => p.Memory)),
                LastOutputLines = sandbox.LastOutputLines(OutputLines),
            };
        }
    }

    /// <summary>The sandbox ended before its memory was read: the entrypoint exited, bwrap refused, or the watchdog fired.</summary>
    private static ContainerReport Ended(ContainerReport report, ContainerSandbox sandbox, Stopwatch clock)
    {
        var lines = sandbox.LastOutputLines(OutputLines);
        var code = sandbox.ExitCode;
        var (outcome, message) = sandbox.TimedOut
            ? ("timeout", $"the sandbox reached its wall-clock limit of {report.TimeoutSeconds:0.#} s before its memory was read, and was killed")
            : lines.Count > 0 && lines[^1].StartsWith("bwrap: ", StringComparison.Ordinal)
                ? ("sandbox-error", $"bubblewrap could not run the entrypoint (exit {code}): {lines[^1]}")
                : ("exited", $"the entrypoint exited with status {code} after {clock.Elapsed.TotalSeconds:0.0} s, before its memory was read (settle time {report.SettleSeconds:0.#} s)");
        return report with
        {
            Outcome = outcome,
            Message = message,
            ExitCode = code,
            ElapsedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            LastOutputLines = lines,
        };
    }
}
