using System.CommandLine;
using System.Runtime.InteropServices;
using Footprint.Cli.Rendering;
using Footprint.FileSystem;
using Footprint.Measures.Running.Container;
using Footprint.Reports;
using Footprint.Reports.Json;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint boot IMAGE` for a container image (docs/boot.md, "Containers"): the options only it reads, and the run.
/// Kept out of <see cref="BootCommand"/>, which only asks <see cref="TryRun"/> first. Exit 0 when the entrypoint ran
/// and was measured, 1 when it did not run or exited (the class and reason are printed), 2 for bad input.
/// </summary>
internal sealed class ContainerBootOptions
{
    private const double MinSettleSeconds = 0.2;

    private readonly Option<double> _settle = new("--settle")
    {
        Description = "Container images: seconds the entrypoint runs before its memory is read",
        DefaultValueFactory = _ => 5,
    };

    private readonly Option<long> _maxRootfs = new("--max-rootfs-mib")
    {
        Description = "Container images: cap on the MiB of files written to the sandbox's private root",
        DefaultValueFactory = _ => ContainerOptions.DefaultMaxRootfsBytes >> 20,
    };

    public ContainerBootOptions()
    {
        _settle.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < MinSettleSeconds or > 3600)
            {
                r.AddError("--settle takes 0.2 to 3600 (seconds)");
            }
        });
        _maxRootfs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() is < 1 or > (1L << 30))
            {
                r.AddError("--max-rootfs-mib takes 1 to 1073741824 (MiB)");
            }
        });
    }

    public Option[] Options => [_settle, _maxRootfs];

    /// <summary>Runs the container measurement when <paramref name="artifact"/> is a container image; null otherwise (the QEMU plans apply).</summary>
    public int? TryRun(ParseResult parse, string artifact, bool json, double timeoutSeconds)
    {
        if (!ContainerArtifact.IsImage(artifact))
        {
            return null;
        }

        var warnings = new List<FsWarning>();
        using var image = ContainerArtifact.Open(artifact, warnings);
        if (image is null)
        {
            return null;
        }

        var settle = parse.GetValue(_settle);
        var options = new ContainerOptions
        {
            SettleSeconds = settle,
            TimeoutSeconds = Math.Max(timeoutSeconds, settle + 5),
            MaxRootfsBytes = parse.GetValue(_maxRootfs) << 20,
        };

        // Ctrl-C, SIGTERM and SIGHUP cancel the run instead of ending the process at once: the sandbox is then
        // killed and the private root deleted on the way out (bwrap's --die-with-parent covers SIGKILL).
        using var cancel = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }

        ContainerReport report;
        try
        {
            report = ContainerMeasure.Run(image, options, BootCommand.Progress, cancel.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new OperationCanceledException($"{artifact}: interrupted; the sandbox was killed and its private root deleted", e);
        }

        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            BootJsonWriter.Write(new BootDocument { Tool = Program.Tool, Artifact = artifact, Container = report }, stdout);
            stdout.Write("\n"u8);
        }
        else
        {
            Console.Out.Write(ContainerTable.Render(artifact, report));
        }

        return report.Running ? 0 : Program.FindingsExitCode;
    }
}
