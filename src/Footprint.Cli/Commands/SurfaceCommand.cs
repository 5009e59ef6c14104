using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>`footprint surface ARTIFACT... [--details]`: the attack surface (docs/surface.md), summarised unless --details.</summary>
internal static class SurfaceCommand
{
    public static Command Create()
    {
        var details = new Option<bool>("--details", "-d") { Description = "List every item, account and ELF file with its evidence (default: a summary per class)" };
        return ReportCommand.Create("surface",
            "List the attack surface: shells, package managers, interpreters, set-id files, capabilities, accounts, init and services, daemons and ports, and ELF hardening",
            "table or json (the measure report, surface included; JSON always has every item)",
            (parse, report) => SurfaceTable.Render(report, parse.GetValue(details)), [details]);
    }
}
