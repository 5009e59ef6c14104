using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Measures.Running;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint boot ARTIFACT`: boots the artifact under QEMU and measures its running memory (docs/boot.md). Exit 0 when
/// it booted, 1 when the boot failed as a measurement (the failure class and last console lines are printed), 2 for
/// bad input or usage.
/// </summary>
internal static class BootCommand
{
    public static Command Create()
    {
        var artifact = new Argument<string>("artifact")
        {
            Description = "A live ISO, a FAT disk or floppy image, an initramfs (cpio, compressed), a rootfs tarball, a bzImage, or a container image (its entrypoint runs in a sandbox)",
        };
        var kernel = new Option<string?>("--kernel") { Description = "A bzImage to boot the artifact with (required when the artifact has no kernel; replaces a medium's own)" };
        var initrd = new Option<string[]>("--initrd") { Description = "More initrd files, loaded after the artifact's own, in order", AllowMultipleArgumentsPerToken = true };
        var append = new Option<string?>("--append") { Description = "Kernel command line replacing the artifact's own (the console arguments are still added)" };
        var memory = new Option<int>("--memory", "-m") { Description = "RAM of the reference boot, MiB (the idle figures are taken there)", DefaultValueFactory = _ => 256 };
        var minRam = new Option<bool>("--min-ram") { Description = "Bisect the smallest RAM that boots, in 1 MiB steps" };
        var repeats = new Option<int>("--repeats") { Description = "k: boots at the minimum that must all succeed, and boots whose median is the time to prompt", DefaultValueFactory = _ => 3 };
        var timeout = new Option<double>("--timeout") { Description = "Wall-clock limit per boot, seconds", DefaultValueFactory = _ => 60 };
        var console = BootOptions.ConsoleOption("--console", "");
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        memory.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 8 or > 65536)
            {
                r.AddError("--memory takes 8 to 65536 (MiB)");
            }
        });
        repeats.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 20)
            {
                r.AddError("--repeats takes 1 to 20");
            }
        });
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 5 or > 3600)
            {
                r.AddError("--timeout takes 5 to 3600 (seconds)");
            }
        });
        var container = new ContainerBootOptions();
        var command = new Command("boot", "Boot the artifact in QEMU: idle memory, minimum RAM, time to prompt; run a container image's entrypoint in a sandbox (docs/boot.md)");
        command.Arguments.Add(artifact);
        ArtifactArgument.RejectOptions(artifact, command);
        foreach (var o in new Option[] { kernel, initrd, append, memory, minRam, repeats, timeout, console, format }.Concat(container.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var path = parse.GetValue(artifact)!;
            if (container.TryRun(parse, path, parse.GetValue(format) == "json", parse.GetValue(timeout)) is { } exit)
            {
                return exit;
            }

            var request = new BootRequest
            {
                Artifact = path,
                Kernel = parse.GetValue(kernel),
                ExtraInitrds = parse.GetValue(initrd) ?? [],
                Append = parse.GetValue(append),
                Console = BootOptions.ParseConsole(parse.GetValue(console)),
            };
            var options = new RunningOptions
            {
                MemoryMiB = parse.GetValue(memory),
                MinimumRam = parse.GetValue(minRam),
                Repeats = parse.GetValue(repeats),
                TimeoutSeconds = parse.GetValue(timeout),
                RamResidentBytes = parse.GetValue(minRam) ? RamResident(path) : null,
            };
            var report = RunningMemoryMeasure.Run(request, options, Progress);
            if (parse.GetValue(format) == "json")
            {
                using var stdout = Console.OpenStandardOutput();
                BootJsonWriter.Write(new BootDocument { Tool = Program.Tool, Artifact = path, RunningMemory = report }, stdout);
                stdout.Write("\n"u8);
            }
            else
            {
                Console.Out.Write(BootTable.Render(path, report));
            }

            return report.Booted ? 0 : Program.FindingsExitCode;
        });
        return command;
    }

    /// <summary>Progress on standard error: each boot, its size and outcome.</summary>
    internal static void Progress(string line) => Console.Error.WriteLine("footprint: boot: " + TerminalText.Escape(line));

    /// <summary>
    /// The RAM-resident lower bound Footprint computes for the artifact (Measures/RamResident), the bisection's floor;
    /// null when the artifact is not a composed system (a rootfs tarball, a bzImage).
    /// </summary>
    internal static long? RamResident(string path)
    {
        try
        {
            return ReportAssembler.Measure(path, new MeasureOptions { MeasurePushSize = false }).RamResident?.MinimumBytes;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
