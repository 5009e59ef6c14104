using System.CommandLine;
using Footprint.Advisories.Database;
using Footprint.Advisories.Update;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint db update [--from URL]`: downloads the feeds a manifest lists (docs/advisories.md "Update manifest";
/// without --from, the upstream feeds), verifies each by size and SHA-256 where given, and imports them all in one
/// transaction. A refused or unreadable feed leaves the database unchanged (exit 2).
/// </summary>
internal static class DbUpdateCommand
{
    public static Command Create()
    {
        var db = new DbPathOption();
        var from = new Option<string?>("--from") { Description = "URL of an update manifest (JSON: feeds with url, sha256, size); default: the upstream feeds" };
        var command = new Command("update", "Download the advisory feeds (resumable, verified by size and digest) and import them");
        command.Options.Add(db.Option);
        command.Options.Add(from);
        command.SetAction((parse, cancel) => RunAsync(db.Resolve(parse), parse.GetValue(from), cancel));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? from, CancellationToken cancel)
    {
        Uri? manifest = null;
        if (from is not null && (!Uri.TryCreate(from, UriKind.Absolute, out manifest) || (manifest.Scheme != Uri.UriSchemeHttp && manifest.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"--from: not an http(s) URL: {from}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"footprint/{Program.Tool.Version}");
        using var database = AdvisoryDatabase.Open(path);
        var updater = new FeedUpdater(http);
        var results = await updater.UpdateAsync(manifest, database, null, cancel).ConfigureAwait(false);
        foreach (var r in results)
        {
            Console.Out.WriteLine($"{r.Outcome.ToString().ToLowerInvariant()}: {TerminalText.Escape(r.Batch.Key)} ({r.Batch.Kind}, {r.SizeBytes} bytes, sha256 {r.Sha256[..12]}): "
                + $"{r.Batch.Advisories.Count} advisories, {r.Batch.Coverage.Count} releases");
        }

        Console.Out.WriteLine($"{results.Count} feeds ({results.Count(r => r.Outcome != ImportOutcome.Unchanged)} changed), {updater.Requests} requests; database {TerminalText.Escape(path)}");
        return 0;
    }
}
