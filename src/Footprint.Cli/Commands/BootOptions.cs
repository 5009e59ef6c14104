using System.CommandLine;
using Footprint.Measures.Running;
using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>
/// `--boot` and `--boot-kernel`, shared by the commands that measure artifacts and may add their running memory
/// (`measure`, `compare`, `catalog add`): each artifact is booted in QEMU after it was measured (docs/boot.md). Booting
/// is never cached: the section is added to the (cached) static report afterwards.
/// </summary>
internal sealed class BootOptions(string what)
{
    private readonly Option<bool> _boot = new("--boot") { Description = what };

    private readonly Option<string?> _kernel = new("--boot-kernel") { Description = "With --boot: the bzImage to boot an artifact without a kernel of its own" };

    private readonly Option<string> _console = ConsoleOption("--boot-console", "With --boot: ");

    public Option[] Options => [_boot, _kernel, _console];

    /// <summary>`--console auto|serial|vga` (`boot`) or `--boot-console` (the commands with --boot).</summary>
    internal static Option<string> ConsoleOption(string name, string prefix)
    {
        var option = new Option<string>(name)
        {
            Description = (prefix.Length == 0 ? "The" : prefix + "the") + " console to read: auto (VGA for a kernel without a serial driver or an init that logs in only on tty1, else serial), serial or vga",
            DefaultValueFactory = _ => "auto",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not ("auto" or "serial" or "vga"))
            {
                r.AddError($"{name} takes auto, serial or vga");
            }
        });
        return option;
    }

    /// <summary>The value of a <see cref="ConsoleOption"/>.</summary>
    internal static ConsoleChoice ParseConsole(string? value) => value switch
    {
        "serial" => ConsoleChoice.Serial,
        "vga" => ConsoleChoice.Vga,
        _ => ConsoleChoice.Auto,
    };

    public bool Given(ParseResult parse) => parse.GetValue(_boot);

    /// <summary>The reports with their running memory, when --boot was given; the reports as they are otherwise.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="inputs">The artifacts, in the order of <paramref name="reports"/>.</param>
    /// <param name="reports">Their measure reports.</param>
    /// <param name="options">What to measure: one reference boot (measure, compare) or the minimum-RAM search too (catalog add).</param>
    public List<ArtifactReport> Apply(ParseResult parse, IReadOnlyList<string> inputs, IReadOnlyList<ArtifactReport> reports, RunningOptions options)
    {
        if (!Given(parse))
        {
            return [.. reports];
        }

        // A container image has no kernel to boot: QEMU would be handed the image's path (or, with a kernel, its archive
        // members as an initramfs). Its running memory is its entrypoint's, which `footprint boot IMAGE` measures.
        if (inputs.FirstOrDefault(Footprint.Measures.Running.Container.ContainerArtifact.IsImage) is { } image)
        {
            throw new ArgumentException($"{image}: a container image has no kernel to boot in QEMU; "
                + "`footprint boot IMAGE` runs its entrypoint in a sandbox and reports its memory (docs/boot.md)");
        }

        return [.. reports.Select((r, i) => r with
        {
            RunningMemory = RunningMemoryMeasure.Run(
                new BootRequest { Artifact = inputs[i], Kernel = parse.GetValue(_kernel), Console = ParseConsole(parse.GetValue(_console)) },
                options.MinimumRam ? options with { RamResidentBytes = r.RamResident?.MinimumBytes } : options,
                BootCommand.Progress),
        })];
    }
}
