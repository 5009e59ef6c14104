using System.CommandLine;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.CycloneDx;
using Footprint.Reports.Sbom;
using Footprint.Reports.Spdx;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>`footprint sbom ARTIFACT --format cyclonedx|spdx [-o FILE]`: one SBOM document for one artifact.</summary>
internal static class SbomCommand
{
    public static Command Create()
    {
        var artifact = new Argument<string>("artifact") { Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f") { Description = "cyclonedx (1.6 JSON) or spdx (2.3 JSON)", DefaultValueFactory = _ => "cyclonedx" };
        format.AcceptOnlyFromAmong("cyclonedx", "spdx");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var files = new Option<bool>("--files") { Description = "List every regular file with its SHA-1 and SHA-256 and owning packages (reads every byte)" };
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var db = new DbPathOption();
        db.Option.Description = "Match the packages against this advisory database and add the findings (CycloneDX: vulnerabilities[]; SPDX: advisory references and annotations on each package; docs/vulnerabilities.md)";
        var command = new Command("sbom", "Write a CycloneDX or SPDX SBOM (deterministic; SOURCE_DATE_EPOCH sets the timestamp)");
        command.Arguments.Add(artifact);
        ArtifactArgument.RejectOptions(artifact, command);
        foreach (var o in new Option[] { format, output, quiet, platform, files, db.Option }.Concat(analyzers.All).Concat(cache.Options))
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
                ListFiles = parse.GetValue(files),
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = db.Given(parse),
            };
            var input = parse.GetValue(artifact)!;
            var measured = !parse.GetValue(quiet) && !Console.IsErrorRedirected ? MeasureCommand.WithProgress(input, options) : ReportAssembler.Measure(input, options);
            var report = new Report { Tool = Program.Tool, Artifacts = [measured] };
            var sbomOptions = SbomOptions.FromEnvironment(Program.Tool.Version);
            using var stream = parse.GetValue(output) is { } path ? File.Create(path) : Console.OpenStandardOutput();
            if (parse.GetValue(format) == "spdx")
            {
                SpdxWriter.Write(report, stream, sbomOptions);
            }
            else
            {
                CycloneDxWriter.Write(report, stream, sbomOptions);
            }

            stream.Write("\n"u8);
            return 0;
        });
        return command;
    }
}
