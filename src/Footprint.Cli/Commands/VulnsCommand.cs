using System.CommandLine;
using Footprint.Advisories.Vex;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.CycloneDx;
using Footprint.Reports.Osv;
using Footprint.Reports.Sarif;
using Footprint.Reports.Sbom;
using Footprint.Reports.Vex;
using Footprint.Sources;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint vulns ARTIFACT... [--db PATH] [-f table|json|sarif] [--fail-on SEVERITY] [--fail-on-reachable] [--ignore-unfixed] [--vex FILE]... [--ignore FILE]...`: known
/// vulnerabilities of the installed packages, matched in the artifact's own release (docs/vulnerabilities.md).
/// Exit 1 when a gate trips, 2 on bad input or a missing database.
/// </summary>
internal static class VulnsCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact") { Arity = ArgumentArity.OneOrMore, Description = "Image or filesystem (as for measure)" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "table, json (the measure report with its vulnerabilities section), sarif (SARIF 2.1.0), openvex (OpenVEX 0.2.0), cyclonedx (CycloneDX 1.6 BOM with vulnerabilities[]) or osv (a JSON array of OSV 1.7.5 records)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "sarif", "openvex", "cyclonedx", "osv");
        var vexNotReachable = new Option<bool>("--vex-not-reachable")
        {
            Description = "In openvex and cyclonedx output, state not_affected (vulnerable code not in the execute path) for findings no entrypoint loads",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when a finding of this severity or worse is reported (critical, high, medium, low, negligible, unknown)" };
        failOn.AcceptOnlyFromAmong("critical", "high", "medium", "low", "negligible", "unknown");
        var ignoreUnfixed = new Option<bool>("--ignore-unfixed") { Description = "Leave out findings with no released fix (unfixed, wont-fix, end-of-life)" };
        var failOnReachable = new Option<bool>("--fail-on-reachable")
        {
            Description = "Exit 1 when a finding's package is loaded by an entrypoint (with --fail-on: a loaded finding of that severity or worse)",
        };
        var vex = new Option<string[]>("--vex")
        {
            Description = "An OpenVEX 0.2.0 or CycloneDX VEX JSON FILE (repeatable): findings it states not_affected, false_positive, resolved or fixed are suppressed (kept in JSON, out of counts and gates)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var ignore = new Option<string[]>("--ignore")
        {
            Description = "An ignore list FILE (repeatable; .trivyignore form): a vulnerability id per line, optionally a purl or package name and exp:YYYY-MM-DD, # comments",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var noReachability = new Option<bool>("--no-reachability") { Description = "Do not classify findings by what the entrypoints load (the entrypoints' loader closures are not computed)" };
        var registry = new RegistryCliOptions();
        var db = new DbPathOption();
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var command = new Command("vulns", "Known vulnerabilities of the installed packages, matched exactly in the artifact's own distro release");
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { format, output, quiet, platform, failOn, failOnReachable, ignoreUnfixed, noReachability, vexNotReachable, vex, ignore, db.Option }.Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var path = db.Resolve(parse);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"no advisory database at {path}: import feeds first (footprint db import FILE, or footprint db update)");
            }

            // Read the statements first: a bad VEX file fails in milliseconds, not after the scan.
            var statements = (parse.GetValue(vex) ?? []).SelectMany(VexFile.ReadVex)
                .Concat((parse.GetValue(ignore) ?? []).SelectMany(VexFile.ReadIgnoreList)).ToList();
            var withVex = parse.GetValue(vex) is { Length: > 0 } || parse.GetValue(ignore) is { Length: > 0 };
            using var layerCache = cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null,
                MeasurePushSize = false,
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = path,
                Reachability = !parse.GetValue(noReachability),
                Registry = registry.Read(parse),
                OnTiming = Environment.GetEnvironmentVariable("FOOTPRINT_TIMINGS") == "1" ? MeasureCommand.Timing : null,
            };
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            var reports = parse.GetValue(artifacts)!.Select(a => showProgress ? MeasureCommand.WithProgress(a, options) : ReportAssembler.Measure(a, options)).ToList();
            if (parse.GetValue(ignoreUnfixed))
            {
                reports = [.. reports.Select(WithoutUnfixed)];
            }

            if (withVex)
            {
                var today = DateOnly.FromDateTime(DateTime.UtcNow);
                reports = [.. reports.Select(r => VexFilter.Apply(r, statements, today))];
            }

            var report = new Report { Tool = Program.Tool, Artifacts = reports };
            var chosen = parse.GetValue(format)!;
            if (chosen is "sarif" or "openvex" or "cyclonedx" or "osv")
            {
                var sbom = SbomOptions.FromEnvironment(Program.Tool.Version) with { ClaimNotReachable = parse.GetValue(vexNotReachable) };
                if (chosen == "cyclonedx" && reports.Count != 1)
                {
                    throw new ArgumentException("-f cyclonedx describes one artifact: give one");
                }

                using var stream = parse.GetValue(output) is { } file ? File.Create(file) : Console.OpenStandardOutput();
                switch (chosen)
                {
                    case "sarif":
                        SarifWriter.Write(report, stream);
                        break;
                    case "openvex":
                        OpenVexWriter.Write(report, stream, sbom);
                        break;
                    case "osv":
                        OsvWriter.Write(report, stream);
                        break;
                    default:
                        CycloneDxWriter.Write(report, stream, sbom);
                        break;
                }
            }
            else
            {
                MeasureCommand.Write(report, parse.GetValue(format)!, parse.GetValue(output), VulnsTable.Render);
            }

            var threshold = parse.GetValue(failOn);
            var reachable = parse.GetValue(failOnReachable);
            if (reachable && parse.GetValue(noReachability))
            {
                throw new ArgumentException("--fail-on-reachable needs reachability: drop --no-reachability");
            }

            return (threshold is not null || reachable) && reports.Any(r => Trips(r.Vulnerabilities, threshold, reachable)) ? Program.FindingsExitCode : 0;
        });
        return command;
    }

    /// <summary>
    /// Whether any finding is at <paramref name="threshold"/> or worse ("unknown" trips on every finding), and, with
    /// <paramref name="loadedOnly"/>, loaded by an entrypoint. A finding a VEX document or ignore list suppressed never trips.
    /// </summary>
    public static bool Trips(VulnerabilityReport? vulnerabilities, string? threshold, bool loadedOnly)
        => vulnerabilities?.Findings.Any(f => f.Vex?.Suppressed != true && (threshold is null || SarifWriter.Rank(f.Severity) >= SarifWriter.Rank(threshold))
            && (!loadedOnly || f.Reachability == "loaded")) == true;

    private static ArtifactReport WithoutUnfixed(ArtifactReport report)
    {
        if (report.Vulnerabilities is not { } v)
        {
            return report;
        }

        var kept = v.Findings.Where(f => f.FixState is not ("unfixed" or "wont-fix" or "end-of-life")).ToList();
        return report with
        {
            Vulnerabilities = v with
            {
                Findings = kept,
                BySeverity = VulnerabilityAnalyzer.Count(kept.Select(f => f.Severity)),
                ByStatus = VulnerabilityAnalyzer.Count(kept.Select(f => f.Status)),
                ByReachability = v.ByReachability is null ? null : VulnerabilityAnalyzer.Count(kept.Select(f => f.Reachability!)),
            },
        };
    }
}
