using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Reports.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>`footprint catalog list [-f table|json] [--shipped]`: the user's catalog (with --shipped, the shipped one).</summary>
internal static class CatalogListCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "table or json (docs/catalog.schema.json)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var shipped = new Option<bool>("--shipped") { Description = "List the catalog shipped with footprint instead of yours" };
        var store = new CatalogStoreOption();
        var command = new Command("list", "List your catalog (or the shipped one)");
        foreach (var o in new Option[] { format, shipped, store.Option })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var entries = parse.GetValue(shipped) ? CatalogEntries.Shipped() : CatalogEntries.User(store.Open(parse));
            CompareCommand.Write(null, parse.GetValue(format) == "json",
                stream => CatalogJson.Write(new CatalogDocument { Entries = entries }, stream), () => CatalogTable.Render(entries));
            return 0;
        });
        return command;
    }
}
