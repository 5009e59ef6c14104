using System.CommandLine;

namespace Footprint.Cli.Commands;

/// <summary>`footprint db`: the local advisory database (docs/advisories.md).</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var command = new Command("db", "The local advisory database: import feeds, download them, show the data snapshot and coverage");
        command.Subcommands.Add(DbImportCommand.Create());
        command.Subcommands.Add(DbUpdateCommand.Create());
        command.Subcommands.Add(DbStatusCommand.Create());
        return command;
    }
}
