using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>`footprint catalog remove NAME...`: exit 1 when a name is not in the catalog.</summary>
internal static class CatalogRemoveCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("name") { Arity = ArgumentArity.OneOrMore, Description = "Entry names, as `catalog list` shows them" };
        var store = new CatalogStoreOption();
        var command = new Command("remove", "Remove entries from your catalog");
        command.Arguments.Add(names);
        command.Options.Add(store.Option);
        command.SetAction(parse =>
        {
            var catalog = store.Open(parse);
            var code = 0;
            foreach (var name in parse.GetValue(names)!)
            {
                if (catalog.Remove(name))
                {
                    Console.WriteLine($"removed {TerminalText.Escape(name)}");
                }
                else
                {
                    Console.Error.WriteLine($"footprint: no catalog entry named {TerminalText.Escape(name)}");
                    code = Program.FindingsExitCode;
                }
            }

            return code;
        });
        return command;
    }
}
