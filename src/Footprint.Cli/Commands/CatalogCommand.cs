using System.CommandLine;

namespace Footprint.Cli.Commands;

/// <summary>`footprint catalog add|list|remove|export|import`: the user's catalog of measured systems for `choose` (docs/choose.md).</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var command = new Command("catalog", "The systems `choose` picks from: add measured artifacts, list, remove, export, import");
        command.Subcommands.Add(CatalogAddCommand.Create());
        command.Subcommands.Add(CatalogListCommand.Create());
        command.Subcommands.Add(CatalogRemoveCommand.Create());
        command.Subcommands.Add(CatalogExportCommand.Create());
        command.Subcommands.Add(CatalogImportCommand.Create());
        return command;
    }
}
