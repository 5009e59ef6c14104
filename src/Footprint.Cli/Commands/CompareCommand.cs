using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports.Comparisons;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint compare A B [C ...] [--baseline A] [--db PATH] [-f table|json]`: artifacts of any kind side by side, each
/// figure the one its `measure` report carries, with the winner of each row (docs/compare.md).
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact")
        {
            Arity = new ArgumentArity(2, 64),
            Description = "Two or more artifacts of any kind (as for measure): images, rootfs tarballs, live media, firmware",
        };
        var format = new Option<string>("--format", "-f") { Description = "table or json (docs/compare.schema.json)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var baseline = new Option<string?>("--baseline")
        {
            Description = "One of the artifacts, as given: show every other as differences from it",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display (compare shows none; accepted for symmetry with measure)" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var registry = new RegistryCliOptions();
        var boot = new BootOptions("Also boot each artifact in QEMU (one boot each) and compare idle used memory (docs/boot.md)");
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var db = new DbPathOption();
        db.Option.Description = "Match every artifact against this advisory database and compare vulnerability counts (docs/vulnerabilities.md)";
        var command = new Command("compare", "Compare artifacts of any kind side by side: sizes, RAM, surface, vulnerabilities, identity");
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { format, baseline, output, quiet, platform, db.Option }.Concat(boot.Options).Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var inputs = parse.GetValue(artifacts)!;
            int? baselineIndex = null;
            if (parse.GetValue(baseline) is { } b)
            {
                baselineIndex = Array.IndexOf(inputs, b);
                if (baselineIndex < 0)
                {
                    throw new ArgumentException($"--baseline {b} is not one of the compared artifacts (give it exactly as on the command line)");
                }
            }

            using var layerCache = cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Sources.Platform.Parse(p) : null,
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = db.Given(parse),
                Registry = registry.Read(parse),
            };
            var reports = boot.Apply(parse, inputs, ArtifactMeasurements.MeasureAll(inputs, options), new Measures.Running.RunningOptions { Repeats = 1 });
            var comparison = ComparisonBuilder.Build(reports, Program.Tool, baselineIndex);
            Write(parse.GetValue(output), parse.GetValue(format) == "json",
                stream => ComparisonJsonWriter.Write(comparison, stream), () => CompareTable.Render(comparison));
            return 0;
        });
        return command;
    }

    /// <summary>JSON through <paramref name="json"/>, or the table <paramref name="table"/> renders, to FILE or standard output.</summary>
    internal static void Write(string? outputPath, bool asJson, Action<Stream> json, Func<Spectre.Console.Rendering.IRenderable> table)
    {
        if (asJson)
        {
            using var stream = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
            json(stream);
            stream.Write("\n"u8);
            return;
        }

        if (outputPath is null)
        {
            OutputConsole.Stdout().Write(table());
            return;
        }

        using var writer = new StreamWriter(outputPath);
        OutputConsole.Plain(writer).Write(table());
    }
}
