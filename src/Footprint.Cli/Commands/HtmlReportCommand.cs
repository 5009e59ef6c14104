using System.CommandLine;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Html;
using Footprint.Reports.Json;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint report ARTIFACT... -o report.html`: the measure of each artifact, with the breakdown by directory and
/// package, as one self-contained HTML page (docs/report-html.md). Not the internal <see cref="ReportCommand"/>
/// shape that `inventory` and `surface` share: this writes a page, not a table.
/// </summary>
internal static class HtmlReportCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact") { Arity = ArgumentArity.OneOrMore, Description = "Images or filesystems (as for measure); shown side by side" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the page to FILE (default: standard output)" };
        var json = new Option<string?>("--json") { Description = "Also write the same report as JSON (what `measure --breakdown -f json` writes) to FILE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var noReachability = new Option<bool>("--no-reachability") { Description = "With --db: do not classify findings by what the entrypoints load" };
        var db = new DbPathOption();
        db.Option.Description = "Match the packages against this advisory database: adds the vulnerabilities, with reachability (docs/vulnerabilities.md)";
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var registry = new RegistryCliOptions();
        var command = new Command("report", "Write a self-contained HTML report: treemaps, layers, measurements side by side, surface, vulnerabilities");
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { output, json, quiet, platform, db.Option, noReachability }.Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            using var layerCache = cache.Open(parse);
            var advisories = db.Given(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                Breakdown = true,
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = advisories,
                Reachability = advisories is not null && !parse.GetValue(noReachability),
                Registry = registry.Read(parse),
            };
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            var reports = parse.GetValue(artifacts)!.Select(a => showProgress ? MeasureCommand.WithProgress(a, options, ReportCache.Measure) : ReportCache.Measure(a, options)).ToList();
            var report = new Report { Tool = Program.Tool, Artifacts = reports };
            if (parse.GetValue(json) is { } jsonPath)
            {
                using var file = File.Create(jsonPath);
                JsonReportWriter.Write(report, file);
                file.Write("\n"u8);
            }

            using var page = parse.GetValue(output) is { } path ? File.Create(path) : Console.OpenStandardOutput();
            HtmlReportWriter.Write(report, page);
            return 0;
        });
        return command;
    }
}
