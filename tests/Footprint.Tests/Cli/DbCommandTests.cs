using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>`footprint db import|update|status` as a user runs them; update against a local HTTP server.</summary>
public sealed class DbCommandTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("db/advisories.db");

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => Tool.Run("dotnet", [Cli, .. args]);

    private JsonElement Status()
    {
        var (code, stdout, stderr) = Run("db", "status", "--db", Db, "-f", "json");
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void Should_import_a_directory_print_per_release_counts_and_be_idempotent()
    {
        var dir = Repo.CorpusFile("vulndata/alpine-secdb/v3.10");
        var (code, stdout, stderr) = Run("db", "import", "--db", Db, dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("added: alpine-secdb:3.10/main (AlpineSecfixesYaml, ", stdout, StringComparison.Ordinal);
        Assert.Contains("  alpine 3.10: 1159 advisories\n", stdout, StringComparison.Ordinal);
        Assert.Contains("2 feeds (2 changed)", stdout, StringComparison.Ordinal);

        var again = Run("db", "import", "--db", Db, dir);
        Assert.Equal(0, again.Code);
        Assert.Contains("unchanged: alpine-secdb:3.10/main", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 feeds (0 changed)", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_naming_the_file_and_the_record_path_of_bad_input()
    {
        var bad = _dir.File("bad.json");
        File.WriteAllText(bad, "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":false}}]}");
        var (code, stdout, stderr) = Run("db", "import", "--db", Db, Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml"), bad);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"footprint: error: {bad}: $.affected[0].package.name: expected a string, found the boolean false\n", stderr);
        Assert.False(Status().GetProperty("exists").GetBoolean());

        var notFeed = Run("db", "import", "--db", Db, "/etc/hostname");
        Assert.Equal((2, "footprint: error: /etc/hostname: not a known advisory feed\n"), (notFeed.Code, notFeed.Stderr));
    }

    [Fact]
    public void Should_report_snapshot_and_coverage_as_json()
    {
        var dsa = Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list");
        Assert.Equal(0, Run("db", "import", "--db", Db, dsa).Code);
        var status = Status();
        var feed = status.GetProperty("feeds").EnumerateArray().Single();
        Assert.Equal(Tool.Output("sha256sum", dsa).Split(' ')[0], feed.GetProperty("sha256").GetString());
        Assert.Equal("2023-03-29T00:00:00Z", feed.GetProperty("feedDate").GetString());
        var releases = status.GetProperty("coverage").EnumerateArray().Select(c => c.GetProperty("release").GetString()).ToList();
        // Independent: the distinct [release] tags of the list, as numbers.
        var tags = File.ReadLines(dsa).Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s+\[([a-z]+)\] - ")).Where(m => m.Success)
            .Select(m => m.Groups[1].Value).Distinct().Count();
        Assert.Equal(tags, releases.Count);
        var bullseye = status.GetProperty("coverage").EnumerateArray().Single(c => c.GetProperty("release").GetString() == "11");
        Assert.True(bullseye.GetProperty("covered").GetBoolean());
        Assert.Equal("debian-dsa", bullseye.GetProperty("feeds")[0].GetProperty("key").GetString());
    }

    [Fact]
    public void Should_say_no_release_is_covered_without_a_database()
    {
        var (code, stdout, _) = Run("db", "status", "--db", Db);
        Assert.Equal(0, code);
        Assert.Contains("no release is covered", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    private static string Manifest(params (string Url, byte[] Content, string? Sha, long? Size)[] feeds)
        => JsonSerializer.Serialize(new { feeds = feeds.Select(f => new { url = f.Url, sha256 = f.Sha ?? Convert.ToHexStringLower(SHA256.HashData(f.Content)), size = f.Size ?? f.Content.Length }) });

    [Fact]
    public void Should_resume_a_dropped_download_with_a_range_request()
    {
        using var server = new FeedServer();
        var dsa = File.ReadAllBytes(Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list"));
        var alpine = File.ReadAllBytes(Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml"));
        server.Add("feeds/DSA/list", dsa, dropAfterBytes: 300_000);
        server.Add("alpine/v3.10/main.yaml", alpine);
        server.Add("manifest.json", System.Text.Encoding.UTF8.GetBytes(Manifest(("feeds/DSA/list", dsa, null, null), ($"{server.BaseUrl}alpine/v3.10/main.yaml", alpine, null, null))));

        var (code, stdout, stderr) = Run("db", "update", "--db", Db, "--from", server.BaseUrl + "manifest.json");
        Assert.True(code == 0, stderr + stdout);
        Assert.Equal(["manifest.json", "feeds/DSA/list", "feeds/DSA/list bytes=300000-", "alpine/v3.10/main.yaml"], server.Log);
        Assert.Contains("added: debian-dsa", stdout, StringComparison.Ordinal);
        var feeds = Status().GetProperty("feeds").EnumerateArray().ToList();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(dsa)), feeds.Single(f => f.GetProperty("key").GetString() == "debian-dsa").GetProperty("sha256").GetString());
        Assert.Equal(server.BaseUrl + "feeds/DSA/list", feeds.Single(f => f.GetProperty("key").GetString() == "debian-dsa").GetProperty("file").GetString());
        // The DSA list dates itself (its newest entry); the Alpine secfixes have no dates and take Last-Modified.
        Assert.Equal("2023-03-29T00:00:00Z", feeds.Single(f => f.GetProperty("key").GetString() == "debian-dsa").GetProperty("feedDate").GetString());
        Assert.Equal("2024-05-06T07:08:09Z", feeds.Single(f => f.GetProperty("key").GetString() == "alpine-secdb:3.10/main").GetProperty("feedDate").GetString());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.GetDirectoryName(Db)!), p => !Path.GetFileName(p).StartsWith("advisories.db", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_refuse_a_digest_mismatch_and_leave_the_database_unchanged()
    {
        Assert.Equal(0, Run("db", "import", "--db", Db, Repo.CorpusFile("vulndata/alpine-secdb/v3.11/main.yaml")).Code);
        var before = Status().GetProperty("feeds").ToString();
        using var server = new FeedServer();
        var alpine = File.ReadAllBytes(Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml"));
        var dsa = File.ReadAllBytes(Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list"));
        server.Add("main.yaml", alpine);
        server.Add("list", dsa);
        server.Add("manifest.json", System.Text.Encoding.UTF8.GetBytes(Manifest(("main.yaml", alpine, null, null), ("list", dsa, new string('0', 64), null))));

        var (code, _, stderr) = Run("db", "update", "--db", Db, "--from", server.BaseUrl + "manifest.json");
        Assert.Equal(2, code);
        Assert.Equal($"footprint: error: {server.BaseUrl}list: sha256 {Convert.ToHexStringLower(SHA256.HashData(dsa))}, the manifest says {new string('0', 64)}\n", stderr);
        Assert.Equal(before, Status().GetProperty("feeds").ToString());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.GetDirectoryName(Db)!), p => !Path.GetFileName(p).StartsWith("advisories.db", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, "the server announces 48442 bytes, more than the 1000 expected")]
    [InlineData(true, "the response is larger than the 1000 bytes expected")]
    public void Should_refuse_a_response_larger_than_the_manifest_says(bool chunked, string message)
    {
        using var server = new FeedServer();
        var alpine = File.ReadAllBytes(Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml"));
        server.Add("main.yaml", alpine, chunked: chunked);
        server.Add("manifest.json", System.Text.Encoding.UTF8.GetBytes(Manifest(("main.yaml", alpine, null, 1000))));
        var (code, _, stderr) = Run("db", "update", "--db", Db, "--from", server.BaseUrl + "manifest.json");
        Assert.Equal(2, code);
        Assert.Equal($"footprint: error: {server.BaseUrl}main.yaml: {message}\n", stderr);
        Assert.Empty(Status().GetProperty("feeds").EnumerateArray());
    }

    [Fact]
    public void Should_refuse_a_manifest_of_the_wrong_shape()
    {
        using var server = new FeedServer();
        server.Add("manifest.json", "{\"feeds\":[{\"url\":\"file:///etc/passwd\"}]}"u8.ToArray());
        var (code, _, stderr) = Run("db", "update", "--db", Db, "--from", server.BaseUrl + "manifest.json");
        Assert.Equal(2, code);
        Assert.Equal($"footprint: error: {server.BaseUrl}manifest.json: $.feeds[0].url: not an http(s) URL: 'file:///etc/passwd'\n", stderr);
    }
}
