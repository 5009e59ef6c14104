using System.CommandLine;
using System.Text.Json;
using Footprint.Analyzers;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Spectre.Console;

namespace Footprint.Cli.Commands;

/// <summary>`footprint analyzers`: the registry as the pipeline reads it (what --disable and --only take).</summary>
internal static class AnalyzersCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("analyzers", "List the analyzers and measures: id (for --disable and --only), version, what each produces and consumes");
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            var producers = AnalyzerRegistry.Create(new AnalysisOptions());
            if (parse.GetValue(format) == "json")
            {
                using var stdout = Console.OpenStandardOutput();
                using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartArray();
                    foreach (var p in producers)
                    {
                        json.WriteStartObject();
                        json.WriteString("id", p.Id);
                        json.WriteNumber("version", p.Version);
                        json.WriteString("produces", p.Produces.Name);
                        json.WriteStartArray("consumes");
                        foreach (var c in p.Consumes)
                        {
                            json.WriteStringValue(c.Name);
                        }

                        json.WriteEndArray();
                        json.WriteBoolean("readsFiles", p is Walk.IAnalyzer);
                        json.WriteBoolean("core", p.IsCore);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                stdout.Write("\n"u8);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "version", "produces", "consumes", "reads files", "core");
            foreach (var p in producers)
            {
                table.AddRow(p.Id, p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Produces.Name,
                    string.Join(", ", p.Consumes.Select(c => c.Name)), p is Walk.IAnalyzer ? "yes" : string.Empty, p.IsCore ? "yes" : string.Empty);
            }

            OutputConsole.Stdout().Write(table);
            return 0;
        });
        return command;
    }
}
