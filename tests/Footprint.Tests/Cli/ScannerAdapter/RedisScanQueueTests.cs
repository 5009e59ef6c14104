using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Footprint.Cli.ScannerAdapter;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli.ScannerAdapter;

/// <summary>
/// The Redis stream queue of `footprint serve --redis --postgres`, with real adapter processes, a real redis-server and
/// a real PostgreSQL (<see cref="FleetFixture"/>): instances share the work and each scan is done once (PostgreSQL's
/// attempt count and worker say so), a killed worker's scan is redelivered to another instance, a stream that lost
/// its entries is refilled from the pending jobs, and a redelivered finished scan is only acknowledged.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RedisScanQueueTests(RegistryFixture registry, FleetFixture fleet) : IClassFixture<FleetFixture>, IDisposable
{
    private readonly TempDir _home = new();
    private readonly StringBuilder _log = new();
    private readonly List<AdapterProcess> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task Should_do_each_scan_once_when_two_instances_share_the_queue()
    {
        var backend = fleet.Create();
        // One worker each, holding every scan a second: while one instance is busy the other must take the next entry.
        var pause = new Dictionary<string, string> { [ScanWorker.PauseAfterBeginVariable] = "1000" };
        var a = Start(backend, "a", pause);
        var b = Start(backend, "b", pause);
        var digests = new[] { Digest("debian:minbase"), Digest("debian:two") };
        var ids = new List<(string Id, string Digest)>();
        for (var i = 0; i < 6; i++)
        {
            var digest = digests[i % 2];
            ids.Add((await Post(i % 2 == 0 ? a : b, digest), digest));
        }

        foreach (var (id, digest) in ids)
        {
            // Any instance answers for any scan: the state is in PostgreSQL, not in the process that accepted it.
            Assert.Equal(digest, (string)(await Report(b, id))["artifact"]!["digest"]!);
        }

        var scans = backend.Scans();
        Assert.Equal(ids.Select(i => i.Id).Order(StringComparer.Ordinal), scans.Select(s => s.Id));
        Assert.All(scans, s =>
        {
            Assert.Equal("done", s.State);
            Assert.Equal(1, s.Attempts);
        });
        // Both instances took scans, and no one else did.
        Assert.Equal(new[] { a.Worker, b.Worker }.Order(StringComparer.Ordinal), scans.Select(s => s.Worker).Distinct().Order(StringComparer.Ordinal));
        // A worker acknowledges an entry after it stores the outcome, so the last report can be readable a moment before.
        await Until(() => backend.RedisNumber("XLEN footprint:scans") == 0, "a finished scan's entry was never acknowledged");
    }

    [Fact]
    public async Task Should_requeue_a_job_missing_at_two_sweeps_and_delete_only_idle_consumers_holding_nothing()
    {
        var redis = fleet.Create().Redis;
        using var queue = new RedisScanQueue(redis.Configuration, "me", TimeSpan.FromSeconds(30));
        var lost = new ScanJob("lost-1", "http://127.0.0.1:1", null, "debian", "sha256:" + new string('a', 64), null, AdapterMediaTypes.SbomReport);
        var queued = lost with { Id = "queued-1" };
        queue.Enqueue(queued);

        // Missing once: it may be a job another instance has just stored and is about to add. Missing twice: re-added, once.
        Assert.Equal((0, 0), queue.Sweep([lost, queued], TimeSpan.FromHours(1)));
        Assert.Equal(1, long.Parse(redis.Command("XLEN footprint:scans")![1..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((1, 0), queue.Sweep([lost, queued], TimeSpan.FromHours(1)));
        Assert.Equal((0, 0), queue.Sweep([lost, queued], TimeSpan.FromHours(1)));
        Assert.Equal(2, long.Parse(redis.Command("XLEN footprint:scans")![1..], System.Globalization.CultureInfo.InvariantCulture));

        // Two other consumers: one read an entry and holds it (a worker mid-scan), one read nothing (a dead instance).
        Assert.StartsWith("*", redis.Command("XREADGROUP GROUP footprint-workers busy COUNT 1 STREAMS footprint:scans >"), StringComparison.Ordinal);
        Assert.NotNull(redis.Command("XREADGROUP GROUP footprint-workers ghost COUNT 1 STREAMS footprint:scans 0"));
        var mine = await queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("lost-1", mine.ScanId);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal((0, 1), queue.Sweep([lost, queued], TimeSpan.FromSeconds(1)));
        var consumers = redis.Command("XINFO CONSUMERS footprint:scans footprint-workers");
        Assert.Equal("*2", consumers);
    }

    [Fact]
    public async Task Should_redeliver_the_scan_of_a_killed_worker_to_another_instance()
    {
        var backend = fleet.Create();
        // 3 s (renewed every second): with 2 s, a worker stalled by a loaded machine (load 11) lost a live claim.
        var stuck = Start(backend, "a", new Dictionary<string, string> { [ScanWorker.PauseAfterBeginVariable] = "600000" }, "--visibility-timeout", "3");
        var id = await Post(stuck, Digest("debian:minbase"));
        await Until(() => backend.Scans().Single() is { State: "running" } s && s.Worker == stuck.Worker, "the first instance never began the scan");

        var other = Start(backend, "b", null, "--visibility-timeout", "3");
        // Past the visibility timeout twice over: a live worker renews its claim, so the other instance leaves it alone.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(("running", 1, stuck.Worker), Row(backend.Scans().Single()));

        stuck.Kill();
        var report = await Report(other, id);
        Assert.Equal("debian", (string)report["artifact"]!["repository"]!);
        Assert.Equal(("done", 2, other.Worker), Row(backend.Scans().Single()));
        // Acknowledged after the outcome is stored (CI once read the stream between the two), and not scanned again.
        await Until(() => backend.RedisNumber("XLEN footprint:scans") == 0, "the redelivered entry was never acknowledged");
        Assert.Equal(("done", 2, other.Worker), Row(backend.Scans().Single()));
    }

    [Fact]
    public async Task Should_queue_again_the_pending_jobs_a_stream_lost()
    {
        var backend = fleet.Create();
        var front = Start(backend, "a", null, "--workers", "0");
        var id = await Post(front, Digest("debian:two"));
        front.Kill();
        // Redis restarted without persistence: the stream and its group are gone, the job is still pending in PostgreSQL.
        Assert.Equal("+OK", backend.Redis.Command("FLUSHALL"));

        var restarted = Start(backend, "b", null);
        Assert.Equal("SPDX-2.3", (string)(await Report(restarted, id))["sbom"]!["spdxVersion"]!);
        Assert.Equal(("done", 1, restarted.Worker), Row(backend.Scans().Single()));
    }

    [Fact]
    public async Task Should_only_acknowledge_a_redelivered_scan_that_is_done()
    {
        var backend = fleet.Create();
        var server = Start(backend, "a", null);
        var id = await Post(server, Digest("debian:minbase"));
        await Report(server, id);
        var done = Row(backend.Scans().Single());

        // A second entry for the finished scan (an acknowledgement lost after the result was stored).
        Assert.StartsWith("$", backend.Redis.Command($"XADD footprint:scans * scan {id}"));
        await Until(() => backend.RedisNumber("XLEN footprint:scans") == 0, "the duplicate entry was never acknowledged");
        Assert.Equal(done, Row(backend.Scans().Single()));
        Assert.Equal(("done", 1, server.Worker), done);
    }

    [Fact]
    public void Should_say_which_server_it_cannot_use_without_printing_a_password()
    {
        var backend = fleet.Create();
        var unused = HttpFront.FreePort();
        const string WrongPassword = "wrong-pw-never-printed-5e0b";
        var noRedis = Serve("--redis", $"127.0.0.1:{unused},password={RedisServer.Password}", "--postgres", backend.Postgres);
        var badLogin = Serve("--redis", backend.Redis.Configuration, "--postgres", backend.Postgres.Replace(PostgresServer.Password, WrongPassword, StringComparison.Ordinal));

        Assert.Equal(2, noRedis.ExitCode);
        Assert.Equal($"footprint: error: cannot connect to Redis at 127.0.0.1:{unused} (UnableToConnect)", noRedis.Stderr.Trim());
        Assert.Equal(2, badLogin.ExitCode);
        Assert.StartsWith($"footprint: error: cannot use PostgreSQL at 127.0.0.1:", badLogin.Stderr, StringComparison.Ordinal);
        Assert.Contains("28P01: password authentication failed for user \"postgres\"", badLogin.Stderr, StringComparison.Ordinal);
        foreach (var printed in new[] { noRedis.Stdout, noRedis.Stderr, badLogin.Stdout, badLogin.Stderr })
        {
            Assert.DoesNotContain(RedisServer.Password, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongPassword, printed, StringComparison.Ordinal);
        }
    }

    private (int ExitCode, string Stdout, string Stderr) Serve(params string[] args)
        => FootprintProcess.Run(_home.Path, null, ["serve", "--listen", $"127.0.0.1:{HttpFront.FreePort()}", .. args]);

    private static (string State, int Attempts, string? Worker) Row((string Id, string State, int Attempts, string? Worker) scan) => (scan.State, scan.Attempts, scan.Worker);

    private AdapterProcess Start(FleetBackend backend, string home, IReadOnlyDictionary<string, string>? environment, params string[] extra)
    {
        var server = new AdapterProcess(Directory.CreateDirectory(_home.File(home)).FullName, _log, environment, 
            [.. backend.Arguments, .. extra.Contains("--workers") ? extra : ["--workers", "1", .. extra]]);
        _servers.Add(server);
        Assert.NotNull(server.Worker);
        return server;
    }

    private async Task<string> Post(AdapterProcess server, string digest)
    {
        var body = new JsonObject
        {
            ["registry"] = new JsonObject { ["url"] = $"http://{registry.Host}" },
            ["artifact"] = new JsonObject { ["repository"] = "debian", ["digest"] = digest, ["mime_type"] = "application/vnd.oci.image.manifest.v1+json" },
        }.ToJsonString();
        using var accepted = await server.Http.PostAsync("/api/v1/scan", new StringContent(body, Encoding.UTF8));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
    }

    private static async Task<JsonNode> Report(AdapterProcess server, string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await server.Http.GetAsync($"/api/v1/scan/{id}/report?sbom_media_type=application/spdx%2Bjson");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), $"scan {id} never finished");
            await Task.Delay(100);
        }
    }

    private static async Task Until(Func<bool> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), failure);
            await Task.Delay(100);
        }
    }

    private string Digest(string name) => registry.ManifestDigest(name);
}
