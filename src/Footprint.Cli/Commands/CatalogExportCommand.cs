using System.CommandLine;
using Footprint.Reports.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>`footprint catalog export FILE`: the user's catalog as one JSON file (docs/catalog.schema.json).</summary>
internal static class CatalogExportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Where to write the catalog (- for standard output)" };
        var store = new CatalogStoreOption();
        var command = new Command("export", "Write your catalog to a JSON file");
        command.Arguments.Add(file);
        command.Options.Add(store.Option);
        command.SetAction(parse =>
        {
            var document = new CatalogDocument { Entries = CatalogEntries.User(store.Open(parse)) };
            var path = parse.GetValue(file)!;
            CompareCommand.Write(path == "-" ? null : path, true, stream => CatalogJson.Write(document, stream), () => throw new InvalidOperationException());
            return 0;
        });
        return command;
    }
}
