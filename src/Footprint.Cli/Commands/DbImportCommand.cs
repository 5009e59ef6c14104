using System.CommandLine;
using Footprint.Advisories.Database;
using Footprint.Advisories.Feeds;
using Footprint.Cli.Rendering;
using Footprint.Formats;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint db import FILE|DIR...`: reads every feed file (a directory recursively: files named *.json, *.yaml,
/// *.yml, *.zip or list, kind detected by content, other files skipped), then stores them all in one transaction.
/// Bad input stops the import before anything is written (exit 2, the file and the record path).
/// </summary>
internal static class DbImportCommand
{
    public static Command Create()
    {
        var db = new DbPathOption();
        var paths = new Argument<string[]>("FILE|DIR") { Arity = ArgumentArity.OneOrMore, Description = "Feed files, or directories of them" };
        var distro = new Option<string>("--advisories-distro")
        {
            Description = "Distro of Wolfi-format advisory YAML (wolfi or chainguard); the documents do not say",
            DefaultValueFactory = _ => "wolfi",
        };
        distro.AcceptOnlyFromAmong("wolfi", "chainguard");
        var command = new Command("import", "Import advisory feed files into the database (kind detected by content)");
        command.Arguments.Add(paths);
        command.Options.Add(db.Option);
        command.Options.Add(distro);
        command.SetAction(parse =>
        {
            var batches = new List<(FeedBatch, string, long)>();
            var skipped = 0;
            foreach (var (file, named) in Expand(parse.GetValue(paths)!))
            {
                var batch = FeedImporter.TryImport(file, null, parse.GetValue(distro)!);
                if (batch is null)
                {
                    if (named)
                    {
                        throw new FootprintFormatException(file, null, "not a known advisory feed");
                    }

                    skipped++;
                    continue;
                }

                var (sha, size) = AdvisoryDatabase.Digest(file);
                batches.Add((batch, sha, size));
            }

            // The same feed twice (alpine v3.10/main.yaml and v3.10/main.json): the later file wins, as a later import would.
            foreach (var group in batches.GroupBy(b => b.Item1.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
            {
                var kept = group.Last();
                Console.Error.WriteLine($"footprint: note: {string.Join(", ", group.Select(g => TerminalText.Escape(g.Item1.File)))} are the same feed "
                    + $"{TerminalText.Escape(group.Key)}; keeping {TerminalText.Escape(kept.Item1.File)}");
                batches.RemoveAll(b => b.Item1.Key == group.Key && !ReferenceEquals(b.Item1, kept.Item1));
            }

            var path = db.Resolve(parse);
            using var database = AdvisoryDatabase.Open(path);
            var results = database.Import(batches);
            var stdout = Console.Out;
            foreach (var r in results)
            {
                stdout.WriteLine($"{r.Outcome.ToString().ToLowerInvariant()}: {TerminalText.Escape(r.Batch.Key)} ({r.Batch.Kind}, {TerminalText.Escape(r.Batch.File)})"
                    + (r.Batch.SkippedRecords > 0 ? $", {r.Batch.SkippedRecords} non-distro records skipped" : ""));
                foreach (var group in r.Batch.Coverage.OrderBy(c => c.Distro, StringComparer.Ordinal).ThenBy(c => c.Release, StringComparer.Ordinal))
                {
                    var count = r.Batch.Advisories.Count(a => a.Release == group);
                    stdout.WriteLine($"  {TerminalText.Escape(group.ToString())}: {count} advisories");
                }
            }

            stdout.WriteLine($"{results.Count} feeds ({results.Count(r => r.Outcome != ImportOutcome.Unchanged)} changed)"
                + (skipped > 0 ? $", {skipped} files skipped (not a feed)" : "") + $"; database {TerminalText.Escape(path)}");
            return 0;
        });
        return command;
    }

    /// <summary>Files in argument order; a directory's candidate files in ordinal order, flagged as not named.</summary>
    private static IEnumerable<(string File, bool Named)> Expand(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                foreach (var f in Directory.EnumerateFiles(p, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                    .Where(IsCandidate).Order(StringComparer.Ordinal))
                {
                    yield return (f, false);
                }
            }
            else if (File.Exists(p))
            {
                yield return (p, true);
            }
            else
            {
                throw new FileNotFoundException($"{p}: no such file or directory", p);
            }
        }
    }

    private static bool IsCandidate(string file)
    {
        var name = Path.GetFileName(file);
        return name == "list" || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
    }
}
