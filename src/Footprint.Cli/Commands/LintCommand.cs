using System.CommandLine;
using Footprint.Analyzers.Loader;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint lint ARTIFACT [--fail-on LEVEL]`: the C library and the programs, libraries and scripts that would not
/// start (docs/lint.md). Exit 1 when a finding at or above the threshold exists, 0 otherwise, 2 on usage or input errors.
/// </summary>
internal static class LintCommand
{
    public const int UsageExitCode = Program.ErrorExitCode;

    public static Command Create()
    {
        var artifact = new Argument<string>("artifact") { Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f") { Description = "table or json (the measure report, lint section included)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when a finding at or above this severity exists: error, warning, info or never", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("error", "warning", "info", "never");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var command = new Command("lint", "Check that every dynamic program, library and script would start: interpreter, libraries, symbol versions, architecture. " +
            "Exit 1 when a finding reaches --fail-on");
        command.Arguments.Add(artifact);
        ArtifactArgument.RejectOptions(artifact, command);
        foreach (var o in new Option[] { format, failOn, output, quiet, platform }.Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            ArtifactReport report;
            using var layerCache = cache.Open(parse);
            try
            {
                var options = new MeasureOptions
                {
                    LayerCache = layerCache,
                    Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                    MeasurePushSize = false,
                    Analyzers = analyzers.Read(parse),
                };
                var input = parse.GetValue(artifact)!;
                report = !parse.GetValue(quiet) && !Console.IsErrorRedirected ? MeasureCommand.WithProgress(input, options) : ReportAssembler.Measure(input, options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or FormatException)
            {
                Console.Error.WriteLine($"footprint: error: {TerminalText.Escape(e.Message)}");
                return UsageExitCode;
            }

            MeasureCommand.Write(new Report { Tool = Program.Tool, Artifacts = [report] }, parse.GetValue(format)!, parse.GetValue(output), LintTable.Render);
            return ExitCode(report.Lint, parse.GetValue(failOn)!);
        });
        return command;
    }

    /// <summary>1 when a finding is at or above <paramref name="failOn"/> (error &gt; warning &gt; info; never: always 0).</summary>
    internal static int ExitCode(LintReport? lint, string failOn)
    {
        var threshold = Rank(failOn);
        return lint is not null && lint.Findings.Any(f => Rank(f.Severity) <= threshold) ? Program.FindingsExitCode : 0;
    }

    private static int Rank(string severity) => severity switch { "error" => 0, "warning" => 1, "info" => 2, _ => -1 };
}
