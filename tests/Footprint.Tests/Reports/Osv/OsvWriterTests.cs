using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;
using Json.Schema;

namespace Footprint.Tests.Reports.Osv;

/// <summary>
/// `vulns -f osv`: every record valid against the official OSV schema (../shared/schemas/osv), and the records say
/// exactly what the JSON report's findings say (ids, source packages, fixed versions, ecosystems).
/// </summary>
public sealed class OsvWriterTests : IDisposable
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Repo.Schemas, "osv", "schema.json"))));

    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("pkgdb/jasonwsuk+viking_nginx", "vulndata/debian-security-tracker/data/DSA/list", "Debian:11")]
    [InlineData("alpine-old/alpine-3.4-rootfs.tar.xz", "vulndata/alpine-secdb/v3.4", "Alpine:v3.4")]
    [InlineData("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz", "vulndata/alpine-secdb/v3.7", "Alpine:v3.7")]
    public void Should_write_records_the_osv_schema_accepts_saying_what_the_findings_say(string artifact, string feed, string ecosystem)
    {
        var db = Path.Combine(_home.Path, "a.db");
        var import = FootprintProcess.Run(_home.Path, null, "db", "import", "--db", db, Repo.CorpusFile(feed));
        Assert.True(import.ExitCode == 0, import.Stderr);
        var (code, osv, stderr) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "osv", Repo.CorpusFile(artifact));
        Assert.True(code == 0, stderr);
        var records = JsonNode.Parse(osv)!.AsArray();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            Assert.Empty(Schemas.Errors(Schema.Value, record!.ToJsonString()));
        }

        // The schema check can fail: the same record with a non-RFC 3339 modified date, or an unregistered id prefix.
        var bad = records[0]!.DeepClone();
        bad["modified"] = "2024-01-01 00:00";
        Assert.NotEmpty(Schemas.Errors(Schema.Value, bad.ToJsonString()));
        bad = records[0]!.DeepClone();
        bad["id"] = "FOO-1";
        Assert.NotEmpty(Schemas.Errors(Schema.Value, bad.ToJsonString()));

        var (_, json, _) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "json", Repo.CorpusFile(artifact));
        var findings = JsonNode.Parse(json)!["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray()
            .Select(f => ((string)f!["id"]!, (string)f["sourcePackage"]!, (string)f["package"]!, string.Join(' ', f["fixedVersions"]!.AsArray().Select(v => (string)v!))))
            .Order().ToList();
        var written = records.SelectMany(r => r!["affected"]!.AsArray().Select(a =>
        {
            Assert.Equal(ecosystem, (string)a!["package"]!["ecosystem"]!);
            var fixes = a["ranges"]!.AsArray().SelectMany(g => g!["events"]!.AsArray()).Where(e => e!["fixed"] is not null).Select(e => (string)e!["fixed"]!);
            return ((string)r["id"]!, (string)a["package"]!["name"]!, (string)a["database_specific"]!["binary"]!, string.Join(' ', fixes));
        })).Order().ToList();
        Assert.Equal(findings, written);
        Assert.Equal(findings.Select(f => f.Item1).Distinct().Count(), records.Count);
    }
}
