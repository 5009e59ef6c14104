using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint surface ARTIFACT... [--details] [--db PATH]`: the attack surface (docs/surface.md), summarised unless
/// --details; with --db, also a line of known vulnerabilities by severity and by what the entrypoints load.
/// </summary>
internal static class SurfaceCommand
{
    public static Command Create()
    {
        var details = new Option<bool>("--details", "-d") { Description = "List every item, account and ELF file with its evidence (default: a summary per class)" };
        var db = new DbPathOption();
        db.Option.Description = "Match the packages against this advisory database: a vulnerabilities line by severity and reachability (the findings: footprint vulns)";
        return ReportCommand.Create("surface",
            "List the attack surface: shells, package managers, interpreters, set-id files, capabilities, accounts, init and services, daemons and ports, and ELF hardening",
            "table or json (the measure report, surface included; JSON always has every item)",
            (parse, report) => SurfaceTable.Render(report, parse.GetValue(details)), [details, db.Option],
            (parse, options) => db.Given(parse) is { } path ? options with { AdvisoryDatabase = path, Reachability = true } : options);
    }
}
