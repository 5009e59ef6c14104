using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Footprint.Advisories.Database;
using Footprint.Cli.Rendering;
using Spectre.Console;

namespace Footprint.Cli.Commands;

/// <summary>`footprint db status [-f json]`: the data snapshot (feeds, digests, dates) and the coverage per distro release.</summary>
internal static class DbStatusCommand
{
    public static Command Create()
    {
        var db = new DbPathOption();
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("status", "Show the advisory data snapshot (feeds, digests, dates) and which distro releases it covers");
        command.Options.Add(db.Option);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            var path = db.Resolve(parse);
            IReadOnlyList<FeedSnapshot> feeds = [];
            IReadOnlyList<ReleaseCoverage> coverage = [];
            var exists = File.Exists(path);
            if (exists)
            {
                using var database = AdvisoryDatabase.Open(path, create: false);
                feeds = database.Snapshot();
                coverage = database.AllCoverage();
            }

            if (parse.GetValue(format) == "json")
            {
                WriteJson(path, exists, feeds, coverage);
                return 0;
            }

            var console = OutputConsole.Stdout();
            if (!exists)
            {
                console.WriteLine($"No advisory database at {TerminalText.Escape(path)}: no release is covered (footprint db import / db update).");
                return 0;
            }

            console.WriteLine($"Database {TerminalText.Escape(path)}");
            var table = new Table().Border(TableBorder.Rounded).AddColumns("feed", "kind", "data date", "imported", "advisories", "sha256", "file");
            foreach (var f in feeds)
            {
                table.AddRow(TerminalText.Cell(f.Key), f.Kind.ToString(), Date(f.FeedDate), Date(f.ImportedAt), f.Advisories.ToString(CultureInfo.InvariantCulture),
                    f.Sha256[..12], TerminalText.Cell(f.File));
            }

            console.Write(table);
            var releases = new Table().Border(TableBorder.Rounded).AddColumns("distro", "release", "advisories", "newest data", "feeds");
            foreach (var c in coverage)
            {
                releases.AddRow(TerminalText.Cell(c.Release.Distro), TerminalText.Cell(c.Release.Release), c.Feeds.Sum(f => f.Advisories).ToString(CultureInfo.InvariantCulture),
                    Date(c.NewestFeedDate), TerminalText.Cell(string.Join(", ", c.Feeds.Select(f => f.Key))));
            }

            console.Write(releases);
            console.WriteLine("A distro release not listed is not covered: its packages cannot be called clean.");
            return 0;
        });
        return command;
    }

    private static string Date(DateTimeOffset? d) => d?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";

    private static void WriteJson(string path, bool exists, IReadOnlyList<FeedSnapshot> feeds, IReadOnlyList<ReleaseCoverage> coverage)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("database", path);
            json.WriteBoolean("exists", exists);
            json.WriteNumber("schemaVersion", AdvisoryDatabase.SchemaVersion);
            json.WriteStartArray("feeds");
            foreach (var f in feeds)
            {
                json.WriteStartObject();
                json.WriteString("key", f.Key);
                json.WriteString("kind", f.Kind.ToString());
                json.WriteString("file", f.File);
                json.WriteString("sha256", f.Sha256);
                json.WriteNumber("sizeBytes", f.SizeBytes);
                WriteDate(json, "feedDate", f.FeedDate);
                WriteDate(json, "importedAt", f.ImportedAt);
                json.WriteNumber("advisories", f.Advisories);
                json.WriteNumber("skippedRecords", f.Skipped);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("coverage");
            foreach (var c in coverage)
            {
                json.WriteStartObject();
                json.WriteString("distro", c.Release.Distro);
                json.WriteString("release", c.Release.Release);
                json.WriteBoolean("covered", c.Covered);
                json.WriteNumber("advisories", c.Feeds.Sum(f => f.Advisories));
                WriteDate(json, "newestFeedDate", c.NewestFeedDate);
                json.WriteStartArray("feeds");
                foreach (var f in c.Feeds)
                {
                    json.WriteStartObject();
                    json.WriteString("key", f.Key);
                    json.WriteString("kind", f.Kind.ToString());
                    WriteDate(json, "feedDate", f.FeedDate);
                    WriteDate(json, "importedAt", f.ImportedAt);
                    json.WriteNumber("advisories", f.Advisories);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stdout.Write("\n"u8);
    }

    private static void WriteDate(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } d)
        {
            json.WriteString(name, d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
