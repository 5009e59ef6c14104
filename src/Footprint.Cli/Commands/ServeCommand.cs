using System.CommandLine;
using System.Net;
using Footprint.Cli.ScannerAdapter;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint serve`: the Harbor Pluggable Scanner Adapter API v1.2 (docs/fleet.md), with an in-process queue and
/// SQLite results (one node).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "host:port to listen on", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var database = new Option<string?>("--scans") { Description = "SQLite file for scan states, results and pending jobs (default: scans.db in the cache directory)" };
        var advisories = new Option<string?>("--db")
        {
            Description = "An advisory database (footprint db import/update): scans then carry vulnerabilities and the vulnerability report is offered",
        };
        var workers = new Option<int>("--workers") { Description = "Scans run at once (0: accept and store jobs only)", DefaultValueFactory = _ => 2 };
        var cache = new CacheOptions();
        var command = new Command("serve", "Serve the Harbor scanner adapter API (SBOM reports) for a registry to drive");
        foreach (var o in new Option[] { listen, database, advisories, workers }.Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var advisoryDatabase = parse.GetValue(advisories);
            if (advisoryDatabase is not null && !File.Exists(advisoryDatabase))
            {
                throw new FileNotFoundException($"no advisory database at {advisoryDatabase}: import feeds first (footprint db import FILE, or footprint db update)");
            }

            using var layerCache = cache.Open(parse);
            var path = parse.GetValue(database) ?? Path.Combine(Store.LayerCache.DefaultDirectory() ?? Path.GetTempPath(), "scans.db");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var store = new ScanStore(path);
            var queue = new InProcessScanQueue();
            // Jobs accepted by an earlier run of this node and never finished: none is lost to a restart.
            foreach (var pending in store.Pending())
            {
                queue.Enqueue(pending);
            }

            using var listener = new HttpListener();
            listener.Prefixes.Add($"http://{parse.GetValue(listen)}/");
            listener.Start();
            Console.Error.WriteLine($"footprint: serving the scanner adapter API on http://{parse.GetValue(listen)}/api/v1");
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            var tasks = Enumerable.Range(0, Math.Clamp(parse.GetValue(workers), 0, 64))
                .Select(_ => new ScanWorker(queue, store, layerCache, advisoryDatabase).RunAsync(stop.Token))
                .Append(new AdapterServer(queue, store, advisoryDatabase is not null).ServeAsync(listener, stop.Token)).ToArray();
            Task.WaitAll(tasks);
            return 0;
        });
        return command;
    }
}
