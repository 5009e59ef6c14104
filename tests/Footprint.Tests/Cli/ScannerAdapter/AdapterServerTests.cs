using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli.ScannerAdapter;

/// <summary>
/// `footprint serve` against the Harbor Pluggable Scanner Adapter API v1.2 (goharbor/pluggable-scanner-spec): every
/// endpoint's status codes, headers, media types and shapes, a real scan of an image in the local docker-registry,
/// and the scan request's authorization never written anywhere. Every case runs on both backends: "sqlite" (the
/// one-node default) and "redis" (a Redis stream and PostgreSQL, started by <see cref="FleetFixture"/>).
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class AdapterServerTests(RegistryFixture registry, FleetFixture fleet) : IClassFixture<FleetFixture>, IDisposable
{
    private const string Secret = "s3cr3t-never-shown-7f1c";
    private static readonly string Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot$harbor:" + Secret));
    private readonly TempDir _home = new();
    private readonly StringBuilder _log = new();
    private AdapterProcess? _server;
    private FleetBackend? _backend;

    public void Dispose()
    {
        _server?.Dispose();
        _home.Dispose();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Should_answer_every_endpoint_as_the_spec_says(string backend)
    {
        using var http = Start(backend);
        using var metadata = await http.GetAsync("/api/v1/metadata");
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("application/vnd.scanner.adapter.metadata+json; version=1.1", metadata.Content.Headers.ContentType!.ToString());
        var meta = JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!;
        Assert.Equal("Footprint", (string)meta["scanner"]!["name"]!);
        var capability = meta["capabilities"]!.AsArray().Single()!;
        Assert.Equal("sbom", (string)capability["type"]!);
        Assert.Equal(["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"], capability["consumes_mime_types"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["application/vnd.security.sbom.report+json; version=1.0"], capability["produces_mime_types"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["application/spdx+json", "application/vnd.cyclonedx+json"], capability["additional_attributes"]!["sbom_media_types"]!.AsArray().Select(n => (string)n!));

        await AssertError(await Post(http, "{not json"), HttpStatusCode.BadRequest);
        await AssertError(await Post(http, "[]"), HttpStatusCode.BadRequest);
        await AssertError(await Post(http, Request("debian", "sha256:1234")), HttpStatusCode.UnprocessableEntity);
        await AssertError(await Post(http, Request("debian", Digest("debian:minbase"), url: "ftp://x")), HttpStatusCode.UnprocessableEntity);
        await AssertError(await http.GetAsync("/api/v1/scan/no-such-id/report?sbom_media_type=application/spdx%2Bjson"), HttpStatusCode.NotFound);
        await AssertError(await http.GetAsync("/api/v1/nothing"), HttpStatusCode.NotFound);

        var digest = Digest("debian:minbase");
        using var accepted = await Post(http, Request("debian", digest));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("application/vnd.scanner.adapter.scan.response+json; version=1.0", accepted.Content.Headers.ContentType!.ToString());
        var id = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
        Assert.False(string.IsNullOrEmpty(id));

        await AssertError(await http.GetAsync($"/api/v1/scan/{id}/report"), HttpStatusCode.BadRequest);
        await AssertError(await http.GetAsync($"/api/v1/scan/{id}/report?sbom_media_type=text/plain"), HttpStatusCode.BadRequest);

        var cyclone = await Report(http, id, "application/vnd.cyclonedx+json");
        Assert.Equal("application/vnd.cyclonedx+json", (string)cyclone["media_type"]!);
        Assert.Equal(digest, (string)cyclone["artifact"]!["digest"]!);
        Assert.Equal("debian", (string)cyclone["artifact"]!["repository"]!);
        Assert.True(DateTimeOffset.TryParse((string)cyclone["generated_at"]!, out _));
        Assert.Equal("CycloneDX", (string)cyclone["sbom"]!["bomFormat"]!);
        var expected = JsonNode.Parse(Sbom("cyclonedx", $"oci:{Repo.Fixture("debian/oci")}:minbase"))!;
        Assert.Equal(Names(expected["components"]!), Names(cyclone["sbom"]!["components"]!));

        var spdx = await Report(http, id, "application/spdx+json");
        Assert.Equal("application/spdx+json", (string)spdx["media_type"]!);
        Assert.Equal("SPDX-2.3", (string)spdx["sbom"]!["spdxVersion"]!);

        using var vulnerability = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/scan/{id}/report?sbom_media_type=application/spdx%2Bjson");
        vulnerability.Headers.TryAddWithoutValidation("Accept", "application/vnd.security.vulnerability.report; version=1.1");
        await AssertError(await http.SendAsync(vulnerability), HttpStatusCode.NotImplemented);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Should_fail_a_scan_with_a_message_that_never_holds_the_authorization(string backend)
    {
        using var http = Start(backend);
        using var accepted = await Post(http, Request("debian", "sha256:" + new string('0', 64)));
        var id = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
        HttpResponseMessage report;
        var deadline = Stopwatch.StartNew();
        while ((report = await http.GetAsync($"/api/v1/scan/{id}/report?sbom_media_type=application/spdx%2Bjson")).StatusCode == HttpStatusCode.Found)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2));
            await Task.Delay(100);
        }

        var body = await AssertError(report, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Authorization[6..], body, StringComparison.Ordinal);
        var drained = Stopwatch.StartNew();
        // The worker acknowledges the entry after it stores the failure: wait for that before the server is killed.
        while (_backend is not null && _backend.RedisNumber("XLEN footprint:scans") != 0)
        {
            Assert.True(drained.Elapsed < TimeSpan.FromMinutes(1), "the failed scan's stream entry was never acknowledged");
            await Task.Delay(100);
        }

        Stop();
        lock (_log)
        {
            Assert.DoesNotContain(Secret, _log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Authorization[6..], _log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, _log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(RedisServer.Password, _log.ToString(), StringComparison.Ordinal);
        }

        if (_backend is not null)
        {
            // The pending job (with the authorization) went with the failure; the stream entry was acknowledged and deleted.
            var stored = _backend.Dump();
            Assert.Contains(id, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(Authorization[6..], stored, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(_home.Path, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Authorization[6..], text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Should_lose_no_accepted_job_to_a_restart(string backend)
    {
        // An instance that only accepts (no worker) is killed after the 202: the job is on disk, not only in memory.
        var digest = Digest("debian:two");
        string id;
        using (var front = Start(backend, "--workers", "0"))
        {
            using var accepted = await Post(front, Request("debian", digest));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            id = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
            using var pending = await front.GetAsync($"/api/v1/scan/{id}/report?sbom_media_type=application/spdx%2Bjson");
            Assert.Equal(HttpStatusCode.Found, pending.StatusCode);
            Stop();
        }

        using var restarted = Start(backend);
        var report = await Report(restarted, id, "application/spdx+json");
        Assert.Equal(digest, (string)report["artifact"]!["digest"]!);
        Assert.Equal("SPDX-2.3", (string)report["sbom"]!["spdxVersion"]!);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Should_give_the_vulnerability_report_when_served_with_an_advisory_database(string backend)
    {
        // A feed written here: busybox (the source package) fixed only in 99.0.0-r0, so every binary package built
        // from busybox in Alpine 3.20 is affected; which ones those are, the image's apk database says (origin "o:").
        var feed = _home.File("main.yaml");
        File.WriteAllText(feed, "---\ndistroversion: v3.20\nreponame: main\narchs:\n  - x86_64\npackages:\n  - pkg:\n      name: busybox\n"
            + "      secfixes:\n        99.0.0-r0:\n          - CVE-2099-0001\n");
        var database = _home.File("advisories.db");
        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, "db", "import", "--db", database, feed);
        Assert.True(code == 0, stderr);
        var fromBusybox = Tool.Shell($"tar -xzOf {Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")} ./lib/apk/db/installed"
            + " | awk '/^P:/{p=substr($0,3)} /^o:busybox$/{print p}'").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(fromBusybox);

        using var http = Start(backend, "--db", database);
        var meta = JsonNode.Parse(await http.GetStringAsync("/api/v1/metadata"))!;
        var vulnerability = meta["capabilities"]!.AsArray().Single(c => (string?)c!["type"] == "vulnerability")!;
        Assert.Equal(["application/vnd.security.vulnerability.report; version=1.1"], vulnerability["produces_mime_types"]!.AsArray().Select(n => (string)n!));

        var digest = Load.Measure($"{registry.Host}/alpine:3.20", new Footprint.Pipeline.MeasureOptions { Platform = Footprint.Sources.Platform.Parse("linux/amd64") }).ManifestDigest!;
        using var accepted = await Post(http, Request("alpine", digest));
        var id = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
        await Report(http, id, "application/spdx+json");
        using var ask = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/scan/{id}/report");
        ask.Headers.TryAddWithoutValidation("Accept", "application/vnd.security.vulnerability.report; version=1.1");
        using var answer = await http.SendAsync(ask);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/vnd.security.vulnerability.report; version=1.1", answer.Content.Headers.ContentType!.ToString());
        var report = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(digest, (string)report["artifact"]!["digest"]!);
        Assert.Equal("Unknown", (string)report["severity"]!);
        var items = report["vulnerabilities"]!.AsArray();
        Assert.Equal(fromBusybox, items.Select(i => (string)i!["package"]!).Order(StringComparer.Ordinal));
        Assert.All(items, i =>
        {
            Assert.Equal("CVE-2099-0001", (string)i!["id"]!);
            Assert.Equal("99.0.0-r0", (string)i["fix_version"]!);
            Assert.Equal("Unknown", (string)i["severity"]!);
        });
    }

    [Fact]
    public async Task Should_scan_with_a_bearer_authorization_from_harbor_and_never_show_it()
    {
        using var issuer = new TokenIssuer(_home.Path, "harbor-token-service", Secret);
        using var tokenRegistry = new LocalRegistry(registry.Storage, issuer.RegistryAuthSection);
        var token = issuer.PullToken("debian");
        using var http = Start("sqlite");
        var digest = Digest("debian:minbase");
        using var accepted = await Post(http, new JsonObject
        {
            ["registry"] = new JsonObject { ["url"] = $"http://{tokenRegistry.Host}", ["authorization"] = "Bearer " + token },
            ["artifact"] = new JsonObject { ["repository"] = "debian", ["digest"] = digest, ["mime_type"] = "application/vnd.oci.image.manifest.v1+json" },
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
        var cyclone = await Report(http, id, "application/vnd.cyclonedx+json");
        Assert.Equal(digest, (string)cyclone["artifact"]!["digest"]!);
        Assert.NotEmpty(cyclone["sbom"]!["components"]!.AsArray());
        var requested = issuer.Front.Requests.Count;

        // A token for another repository: the scan fails, saying the registry refused the token, without it.
        using var refused = await Post(http, new JsonObject
        {
            ["registry"] = new JsonObject { ["url"] = $"http://{tokenRegistry.Host}", ["authorization"] = "Bearer " + issuer.PullToken("alpine") },
            ["artifact"] = new JsonObject { ["repository"] = "debian", ["digest"] = digest },
        }.ToJsonString());
        var failedId = (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["id"]!;
        HttpResponseMessage report;
        var deadline = Stopwatch.StartNew();
        while ((report = await http.GetAsync($"/api/v1/scan/{failedId}/report?sbom_media_type=application/spdx%2Bjson")).StatusCode == HttpStatusCode.Found)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2));
            await Task.Delay(100);
        }

        var body = await AssertError(report, HttpStatusCode.InternalServerError);
        Assert.Contains("refused the Bearer token", body, StringComparison.Ordinal);
        // The adapter itself never asked the token endpoint (the two tokens above were the test's own requests).
        Assert.Equal(requested + 1, issuer.Front.Requests.Count);
        Stop();
        var signature = token.Split('.')[2];
        lock (_log)
        {
            Assert.DoesNotContain(signature, _log.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(signature, body, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_home.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(signature, Encoding.Latin1.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        }
    }

    private static async Task<JsonNode> Report(HttpClient http, string id, string sbomType)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync($"/api/v1/scan/{id}/report?sbom_media_type={Uri.EscapeDataString(sbomType)}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("application/vnd.security.sbom.report+json; version=1.0", response.Content.Headers.ContentType!.ToString());
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal(["5"], response.Headers.GetValues("Refresh-After"));
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "the scan never finished");
            await Task.Delay(100);
        }
    }

    private static async Task<string> AssertError(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/vnd.scanner.adapter.error+json; version=1.0", response.Content.Headers.ContentType!.ToString());
            var body = await response.Content.ReadAsStringAsync();
            Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(body)!["error"]!["message"]));
            return body;
        }
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/vnd.scanner.adapter.scan.request+json; version=1.1");
        return http.PostAsync("/api/v1/scan", content);
    }

    private string Request(string repository, string digest, string? url = null) => new JsonObject
    {
        ["registry"] = new JsonObject { ["url"] = url ?? $"http://{registry.Host}", ["authorization"] = Authorization },
        ["artifact"] = new JsonObject { ["repository"] = repository, ["digest"] = digest, ["mime_type"] = "application/vnd.oci.image.manifest.v1+json" },
    }.ToJsonString();

    private string Digest(string name) => registry.ManifestDigest(name);

    private string Sbom(string format, string input)
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "sbom", "-f", format, "--no-cache", input);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    private static List<string> Names(JsonNode components)
        => components.AsArray().Select(c => $"{(string?)c!["name"]} {(string?)c["version"]}").Order(StringComparer.Ordinal).ToList();

    private HttpClient Start(string backend, params string[] extra)
    {
        // One backend per test: a restarted instance finds the same database and stream.
        string[] store = backend == "redis" ? (_backend ??= fleet.Create()).Arguments : ["--scans", _home.File("scans.db")];
        _server = new AdapterProcess(_home.Path, _log, null, [.. store, .. extra]);
        return _server.Http;
    }

    private void Stop()
    {
        _server!.Dispose();
        _server = null;
    }
}
