using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Reports.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint catalog import FILE`: adds every entry of a catalog file (replacing entries of the same name). The whole
/// file is checked field by field first; a bad one (exit 2, the JSON path named) changes nothing.
/// </summary>
internal static class CatalogImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A catalog file (catalog export's, or docs/catalog.schema.json's shape)" };
        var store = new CatalogStoreOption();
        var command = new Command("import", "Add the entries of a catalog JSON file to your catalog");
        command.Arguments.Add(file);
        command.Options.Add(store.Option);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var info = new FileInfo(path);
            if (info.Exists && info.Length > CatalogJson.MaxFileBytes)
            {
                throw new Formats.FootprintFormatException(path, null, $"{info.Length} bytes, more than the {CatalogJson.MaxFileBytes} a catalog may have");
            }

            var document = CatalogJson.Read(path, File.ReadAllBytes(path));
            var catalog = store.Open(parse);
            foreach (var entry in document.Entries)
            {
                catalog.Put(entry.Name, CatalogJson.Entry(entry));
            }

            Console.WriteLine($"imported {document.Entries.Count} entries from {TerminalText.Escape(path)}");
            return 0;
        });
        return command;
    }
}
