using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>`footprint surface ARTIFACT...`: the attack surface (shells, set-id files, accounts, services, daemons) and ELF hardening.</summary>
internal static class SurfaceCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact") { Arity = ArgumentArity.OneOrMore, Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f") { Description = "table or json (the measure report, surface included)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var command = new Command("surface", "List the attack surface: shells, package managers, interpreters, set-id files, capabilities, accounts, init and services, daemons and ports, and ELF hardening");
        command.Arguments.Add(artifacts);
        foreach (var o in new Option[] { format, output, quiet, platform })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var options = new MeasureOptions
            {
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                MeasurePushSize = false,
            };
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            var reports = parse.GetValue(artifacts)!.Select(a => showProgress ? MeasureCommand.WithProgress(a, options) : MeasurePipeline.Measure(a, options)).ToList();
            MeasureCommand.Write(new Report { Tool = Program.Tool, Artifacts = reports }, parse.GetValue(format)!, parse.GetValue(output), SurfaceTable.Render);
            return 0;
        });
        return command;
    }
}
