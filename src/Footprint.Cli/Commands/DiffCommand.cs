using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports.Comparisons;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint diff OLD NEW [--db PATH] [-f table|json] [--all]`: what changed between two versions of one system:
/// packages, files by content hash, image layers, surface items, and findings (docs/compare.md). Each artifact is
/// measured once with its file digests (as `sbom --files`); nothing is extracted.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var old = new Argument<string>("old") { Description = "The earlier artifact (as for measure)" };
        var @new = new Argument<string>("new") { Description = "The later artifact" };
        var format = new Option<string>("--format", "-f") { Description = "table or json (docs/diff.schema.json)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var all = new Option<bool>("--files") { Description = "In the table, list every changed file (JSON always has them all)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display (diff shows none; accepted for symmetry with measure)" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var registry = new RegistryCliOptions();
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var db = new DbPathOption();
        db.Option.Description = "Match both artifacts against this advisory database and list findings fixed and introduced";
        var command = new Command("diff", "What changed between two versions of a system: packages, files, layers, surface, vulnerabilities");
        command.Arguments.Add(old);
        command.Arguments.Add(@new);
        ArtifactArgument.RejectOptions(old, command);
        ArtifactArgument.RejectOptions(@new, command);
        foreach (var o in new Option[] { format, all, output, quiet, platform, db.Option }.Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            using var layerCache = cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Sources.Platform.Parse(p) : null,
                ListFiles = true,
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = db.Given(parse),
                Registry = registry.Read(parse),
            };
            var reports = ArtifactMeasurements.MeasureAll([parse.GetValue(old)!, parse.GetValue(@new)!], options);
            var diff = DiffBuilder.Build(reports[0], reports[1], Program.Tool);
            CompareCommand.Write(parse.GetValue(output), parse.GetValue(format) == "json",
                stream => ComparisonJsonWriter.Write(diff, stream), () => DiffTable.Render(diff, parse.GetValue(all)));
            return 0;
        });
        return command;
    }
}
