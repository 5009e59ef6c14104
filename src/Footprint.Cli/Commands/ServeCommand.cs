using System.CommandLine;
using Footprint.Cli.ScannerAdapter;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint serve`: the Harbor Pluggable Scanner Adapter API v1.2 (docs/fleet.md), with an in-process queue and
/// SQLite results (one node), or a Redis stream and PostgreSQL shared by stateless instances (--redis, --postgres).
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
        var redis = new Option<string?>("--redis") { Description = "HOST:PORT of a Redis server whose stream queues the scans of every instance (with --postgres)" };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL connection string for the scans of every instance (with --redis); a password is better left to PGPASSWORD or ~/.pgpass",
        };
        var visibility = new Option<int>("--visibility-timeout")
        {
            Description = "Seconds a running scan may go unrenewed before another instance takes it over as abandoned (with --redis)",
            DefaultValueFactory = _ => 60,
        };
        var workers = new Option<int>("--workers") { Description = "Scans run at once (0: accept and store jobs only)", DefaultValueFactory = _ => 2 };
        var cache = new CacheOptions();
        var command = new Command("serve", "Serve the Harbor scanner adapter API (SBOM reports) for a registry to drive");
        foreach (var o in new Option[] { listen, database, redis, postgres, visibility, advisories, workers }.Concat(cache.Options))
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

            var (redisConfiguration, postgresConnection) = (parse.GetValue(redis), parse.GetValue(postgres));
            if ((redisConfiguration is null) != (postgresConnection is null))
            {
                throw new ArgumentException("--redis and --postgres go together: the queue in Redis, the scans in PostgreSQL");
            }

            if (redisConfiguration is not null && parse.GetValue(database) is not null)
            {
                throw new ArgumentException("--scans is the one-node SQLite store: with --redis and --postgres the scans are in PostgreSQL");
            }

            using var layerCache = cache.Open(parse);
            // One consumer name per process: a restarted instance is a new consumer, and its predecessor's scans go to
            // whichever instance claims them first once they are idle past the visibility timeout.
            var worker = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            IScanStore store;
            IScanQueue queue;
            if (redisConfiguration is not null)
            {
                var timeout = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(visibility), 1, 24 * 3600));
                store = new PostgresScanStore(postgresConnection!);
                try
                {
                    queue = new RedisScanQueue(redisConfiguration, worker, timeout);
                }
                catch
                {
                    store.Dispose();
                    throw;
                }
            }
            else
            {
                var path = parse.GetValue(database) ?? Path.Combine(Store.LayerCache.DefaultDirectory() ?? Path.GetTempPath(), "scans.db");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                store = new ScanStore(path);
                queue = new InProcessScanQueue();
            }

            using var disposeStore = store;
            using var disposeQueue = queue as IDisposable;
            // Jobs accepted earlier and never finished that the queue lost (a restart, a crash before XADD): none is lost.
            queue.Requeue(store.Pending());

            using var lease = new ListenerLease(AdapterListener.Start(parse.GetValue(listen)!));
            var listener = lease.Listener;
            // Never the connection strings: they may hold passwords.
            var backend = redisConfiguration is null ? "in-process queue, SQLite store" : $"Redis stream {RedisScanQueue.StreamKey}, PostgreSQL store, worker {worker}";
            Console.Error.WriteLine($"footprint: serving the scanner adapter API on http://{parse.GetValue(listen)}/api/v1 ({backend})");
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            var tasks = Enumerable.Range(0, Math.Clamp(parse.GetValue(workers), 0, 64))
                .Select(_ => new ScanWorker(queue, store, worker, layerCache, advisoryDatabase).RunAsync(stop.Token))
                .Append(new AdapterServer(queue, store, advisoryDatabase is not null).ServeAsync(listener, stop.Token));
            if (queue is RedisScanQueue shared)
            {
                tasks = tasks.Append(SweepAsync(shared, store, TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(visibility), 1, 24 * 3600)), stop.Token));
            }

            Task.WaitAll([.. tasks]);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Every visibility timeout: re-adds pending jobs the stream lost (a failed XADD, a Redis without persistence) and
    /// deletes consumers idle ten timeouts with nothing pending (instances that died); RedisScanQueue.Sweep says how.
    /// A failed sweep is said once and tried again next period: the scans themselves go on.
    /// </summary>
    private static async Task SweepAsync(RedisScanQueue queue, IScanStore store, TimeSpan period, CancellationToken cancel)
    {
        var failing = false;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var (requeued, deleted) = queue.Sweep(store.Pending(), period * 10);
                if (requeued + deleted > 0)
                {
                    Console.Error.WriteLine($"footprint: serve: re-queued {requeued} pending scan(s) missing from the stream; deleted {deleted} idle consumer(s)");
                }

                failing = false;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or Npgsql.NpgsqlException or IOException or TimeoutException)
            {
                if (!failing)
                {
                    // The type only: messages of these clients may carry connection details.
                    Console.Error.WriteLine($"footprint: serve: the pending-scan sweep failed ({e.GetType().Name}); retrying every {period.TotalSeconds:0} s");
                }

                failing = true;
            }
        }
    }
}
