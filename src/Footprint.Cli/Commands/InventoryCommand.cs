using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>`footprint inventory ARTIFACT...`: the packages the databases record, reconciled with the files present.</summary>
internal static class InventoryCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact") { Arity = ArgumentArity.OneOrMore, Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f") { Description = "table or json (the measure report, inventory included)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var baseImage = new Option<string?>("--base") { Description = "The image this one extends: mark each package base, base-changed or added" };
        var command = new Command("inventory", "List installed packages, what they declare against what is present, and the bytes no package owns");
        command.Arguments.Add(artifacts);
        foreach (var o in new Option[] { format, output, quiet, platform, baseImage })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var options = new MeasureOptions
            {
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                MeasurePushSize = false,
                Base = parse.GetValue(baseImage),
            };
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            var reports = parse.GetValue(artifacts)!.Select(a => showProgress ? MeasureCommand.WithProgress(a, options) : MeasurePipeline.Measure(a, options)).ToList();
            MeasureCommand.Write(new Report { Tool = Program.Tool, Artifacts = reports }, parse.GetValue(format)!, parse.GetValue(output), InventoryTable.Render);
            return 0;
        });
        return command;
    }
}
