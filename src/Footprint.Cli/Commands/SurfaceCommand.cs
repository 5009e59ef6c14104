using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>`footprint surface ARTIFACT...`: the whole attack-surface list (docs/surface.md).</summary>
internal static class SurfaceCommand
{
    public static Command Create()
        => ReportCommand.Create("surface",
            "List the attack surface: shells, package managers, interpreters, set-id files, capabilities, accounts, init and services, daemons and ports, and ELF hardening",
            "table or json (the measure report, surface included)", SurfaceTable.Render);
}
