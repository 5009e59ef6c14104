using System.CommandLine;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>
/// The shape `inventory` and `surface` share: measure one or more artifacts, then render one section of the report as
/// a table (the renderer may read the command's own options), or write the whole report as JSON. Extra options are added by `extra` and read into the
/// measure options by `configure`.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(string name, string description, string formatDescription, Func<ParseResult, Report, IRenderable> render,
        Option[]? extra = null, Func<ParseResult, MeasureOptions, MeasureOptions>? configure = null)
    {
        var artifacts = new Argument<string[]>("artifact") { Arity = ArgumentArity.OneOrMore, Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f") { Description = formatDescription, DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var registry = new RegistryCliOptions();
        var command = new Command(name, description);
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { format, output, quiet, platform }.Concat(extra ?? []).Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            using var layerCache = cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                MeasurePushSize = false,
                Analyzers = analyzers.Read(parse),
                Registry = registry.Read(parse),
            };
            options = configure?.Invoke(parse, options) ?? options;
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            var reports = parse.GetValue(artifacts)!.Select(a => showProgress ? MeasureCommand.WithProgress(a, options) : ReportAssembler.Measure(a, options)).ToList();
            MeasureCommand.Write(new Report { Tool = Program.Tool, Artifacts = reports }, parse.GetValue(format)!, parse.GetValue(output), report => render(parse, report));
            return 0;
        });
        return command;
    }
}
