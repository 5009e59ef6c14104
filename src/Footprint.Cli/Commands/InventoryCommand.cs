using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>`footprint inventory ARTIFACT...`: the packages the databases record, reconciled with the files present.</summary>
internal static class InventoryCommand
{
    public static Command Create()
    {
        var baseImage = new Option<string?>("--base") { Description = "The image this one extends: mark each package base, base-changed or added" };
        return ReportCommand.Create("inventory", "List installed packages, what they declare against what is present, and the bytes no package owns",
            "table or json (the measure report, inventory included)", (_, report) => InventoryTable.Render(report),
            [baseImage], (parse, options) => options with { Base = parse.GetValue(baseImage) });
    }
}
