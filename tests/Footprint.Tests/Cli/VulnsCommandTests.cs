using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// `footprint vulns` on real artifacts against real feeds of the corpus, each finding checked by a computation made
/// here from the same files (the secfixes YAML read line by line, the apk and dpkg databases, versions ordered by the
/// real `dpkg --compare-versions`), not by the code under test.
/// </summary>
public sealed partial class VulnsCommandTests : IDisposable
{
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    public static TheoryData<string, string> AlpineRootfs() => new()
    {
        { "alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz", "v3.7" },
        { "alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz", "v3.10" },
        { "alpine/alpine-minirootfs-3.11.13-x86_64.tar.gz", "v3.11" },
        { "alpine/alpine-minirootfs-3.6.5-x86_64.tar.gz", "v3.6" },
        { "alpine-old/alpine-3.4-rootfs.tar.xz", "v3.4" },
    };

    [Theory]
    [MemberData(nameof(AlpineRootfs))]
    public void Should_find_exactly_what_the_secfixes_say_for_an_alpine_rootfs(string rootfs, string branch)
    {
        var db = AlpineDatabase();
        var json = Vulns(db, Repo.CorpusFile(rootfs));
        var report = json["artifacts"]![0]!["vulnerabilities"]!;
        Assert.True((bool)report["covered"]!);
        var found = report["findings"]!.AsArray().Select(f => ((string)f!["package"]!, (string)f["id"]!, (string)f["status"]!)).Order().ToList();
        Assert.Equal(ExpectedAlpine(rootfs, branch), found);
    }

    [Fact]
    public void Should_give_the_findings_the_issue_names_for_alpine()
    {
        var db = AlpineDatabase();
        var at373 = Findings(Vulns(db, Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz")));
        Assert.Equal([("musl", "CVE-2019-14697", "affected"), ("musl-utils", "CVE-2019-14697", "affected")], at373);
        Assert.Empty(Findings(Vulns(db, Repo.CorpusFile("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz"))));
        Assert.Empty(Findings(Vulns(db, Repo.CorpusFile("alpine/alpine-minirootfs-3.11.13-x86_64.tar.gz"))));
        var at34 = Findings(Vulns(db, Repo.CorpusFile("alpine-old/alpine-3.4-rootfs.tar.xz")));
        Assert.Contains(("libssl1.0", "CVE-2017-3738", "ambiguous-fix"), at34);
        Assert.Contains(("libcrypto1.0", "CVE-2017-3738", "ambiguous-fix"), at34);
        Assert.Equal(at34.Where(f => f.Package == "libssl1.0").Select(f => f.Id), at34.Where(f => f.Package == "libcrypto1.0").Select(f => f.Id));
    }

    [Fact]
    public void Should_say_not_covered_for_a_release_without_data_never_clean()
    {
        var db = AlpineDatabase();
        var json = Vulns(db, Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        var report = json["artifacts"]![0]!["vulnerabilities"]!;
        Assert.False((bool)report["covered"]!);
        Assert.Equal("3.20", (string)report["release"]!);
        Assert.Contains("no data for alpine 3.20", (string)report["notCoveredReason"]!, StringComparison.Ordinal);

        var (code, stdout, _) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        Assert.Equal(0, code);
        Assert.Contains("not covered", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_find_every_affected_binary_of_every_source_a_dsa_fixes_on_debian_11()
    {
        var db = Path.Combine(_home.Path, "debian.db");
        var dsa = Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list");
        Import(db, dsa);
        var rootfs = Repo.CorpusFile("pkgdb/jasonwsuk+viking_nginx");
        var found = Vulns(db, rootfs)["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray()
            .Select(f => ((string)f!["package"]!, (string)f["id"]!, string.Join(' ', f["fixedVersions"]!.AsArray().Select(v => (string)v!)))).Order().ToList();

        Assert.Equal(ExpectedDebian(Path.Combine(rootfs, "var/lib/dpkg/status"), dsa, "bullseye"), found);
        Assert.Contains(found, f => f.Item1 == "curl");
        Assert.Contains(found, f => f.Item1 == "libcurl4");
        Assert.Contains(found, f => f.Item1 == "libexpat1");
        Assert.Contains(found, f => f.Item1 == "libgnutls30");
    }

    [Fact]
    public void Should_write_sarif_that_the_official_schema_accepts_and_gate_on_severity()
    {
        var db = Path.Combine(_home.Path, "debian.db");
        Import(db, Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list"));
        var rootfs = Repo.CorpusFile("pkgdb/jasonwsuk+viking_nginx");
        var (code, sarif, stderr) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "sarif", rootfs);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Sarif210, sarif));
        var results = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray();
        Assert.Equal(Vulns(db, rootfs)["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray().Count, results.Count);
        Assert.All(results, r => Assert.Equal("var/lib/dpkg/status", (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!));

        // The DSA list gives no severity: every finding is "unknown", which only --fail-on unknown trips.
        Assert.Equal(0, FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "--fail-on", "low", rootfs).ExitCode);
        Assert.Equal(1, FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "--fail-on", "unknown", rootfs).ExitCode);
    }

    [Fact]
    public void Should_match_the_report_schema_and_refuse_a_missing_database()
    {
        var db = AlpineDatabase();
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "json", Repo.CorpusFile("alpine-old/alpine-3.4-rootfs.tar.xz"));
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));

        var missing = FootprintProcess.Run(_home.Path, null, "vulns", "--db", Path.Combine(_home.Path, "none.db"), "-q", Repo.CorpusFile("alpine-old/alpine-3.4-rootfs.tar.xz"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no advisory database", missing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_rank_findings_by_what_the_entrypoint_loads_and_gate_on_it()
    {
        // Alpine 3.7.3 as an image whose entrypoint is ssl_client: it maps musl (its libc) and spawns nothing, so musl's
        // CVE-2019-14697 is loaded (the chain ends in musl's loader) and musl-utils' copy of it is present, not loaded.
        var db = AlpineDatabase();
        var layout = SslClientImage();

        var findings = Vulns(db, $"oci:{layout}:latest")["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray();
        var musl = findings.Single(f => (string)f!["package"]! == "musl")!;
        Assert.Equal("loaded", (string)musl["reachability"]!);
        var chain = musl["reachedBy"]![0]!["evidence"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(chain, e => e.Contains("ld-musl-x86_64.so.1", StringComparison.Ordinal));
        Assert.Equal("present-not-loaded", (string)findings.Single(f => (string)f!["package"]! == "musl-utils")!["reachability"]!);
        Assert.Equal("musl", (string)findings[0]!["package"]!);

        Assert.Equal(1, FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "--fail-on-reachable", $"oci:{layout}:latest").ExitCode);
        Assert.Equal(0, FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "--fail-on-reachable", "--fail-on", "low", $"oci:{layout}:latest").ExitCode);
        var none = Vulns(db, $"oci:{layout}:latest", "--no-reachability")["artifacts"]![0]!["vulnerabilities"]!;
        Assert.Null(none["findings"]![0]!["reachability"]);
    }

    [Fact]
    public void Should_write_openvex_and_cyclonedx_claiming_not_affected_only_when_asked()
    {
        var db = AlpineDatabase();
        var layout = SslClientImage();
        var (code, vex, stderr) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "openvex", $"oci:{layout}:latest");
        Assert.True(code == 0, stderr);
        var statements = JsonNode.Parse(vex)!["statements"]!.AsArray();
        Assert.Equal("https://openvex.dev/ns/v0.2.0", (string)JsonNode.Parse(vex)!["@context"]!);
        Assert.Equal(["affected", "affected"], statements.Select(s => (string)s!["status"]!));
        Assert.Contains(statements, s => ((string)s!["products"]![0]!["@id"]!).StartsWith("pkg:apk/alpine/musl-utils@1.1.18-r3", StringComparison.Ordinal));

        var claimed = JsonNode.Parse(FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "openvex", "--vex-not-reachable", $"oci:{layout}:latest").Stdout)!["statements"]!.AsArray();
        var utils = claimed.Single(s => ((string)s!["products"]![0]!["@id"]!).Contains("musl-utils", StringComparison.Ordinal))!;
        Assert.Equal(("not_affected", "vulnerable_code_not_in_execute_path"), ((string)utils["status"]!, (string)utils["justification"]!));
        Assert.Equal("affected", (string)claimed.Single(s => !((string)s!["products"]![0]!["@id"]!).Contains("musl-utils", StringComparison.Ordinal))!["status"]!);

        var (bomCode, bom, bomErr) = FootprintProcess.Run(_home.Path, null, "vulns", "--db", db, "-q", "--no-cache", "-f", "cyclonedx", "--vex-not-reachable", $"oci:{layout}:latest");
        Assert.True(bomCode == 0, bomErr);
        Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, bom));
        var doc = JsonNode.Parse(bom)!;
        var refs = doc["components"]!.AsArray().Select(c => (string)c!["bom-ref"]!).ToHashSet();
        var vulns = doc["vulnerabilities"]!.AsArray();
        Assert.Equal(2, vulns.Count);
        Assert.All(vulns, v => Assert.Contains((string)v!["affects"]![0]!["ref"]!, refs));
        Assert.Equal(["exploitable", "not_affected"], vulns.Select(v => (string)v!["analysis"]!["state"]!).Order());
    }

    [Fact]
    public void Should_add_the_findings_to_measure_and_to_the_sbom_when_given_a_database()
    {
        var db = AlpineDatabase();
        var rootfs = Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz");
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--db", db, "-q", "-f", "json", rootfs);
        Assert.True(code == 0, stderr);
        Assert.Equal(Findings(Vulns(db, rootfs, "--no-reachability")), Findings(JsonNode.Parse(stdout)!));

        // Without --db, measure matches nothing (and its cached report never stands in for one with findings).
        var plain = FootprintProcess.Run(_home.Path, null, "measure", "-q", "-f", "json", rootfs);
        Assert.Null(JsonNode.Parse(plain.Stdout)!["artifacts"]![0]!["vulnerabilities"]);
        var again = FootprintProcess.Run(_home.Path, null, "measure", "--db", db, "-q", "-f", "json", rootfs);
        Assert.Equal(2, JsonNode.Parse(again.Stdout)!["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray().Count);

        var bom = FootprintProcess.Run(_home.Path, null, "sbom", "--db", db, "-q", rootfs);
        Assert.True(bom.ExitCode == 0, bom.Stderr);
        Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, bom.Stdout));
        Assert.Equal(["CVE-2019-14697", "CVE-2019-14697"], JsonNode.Parse(bom.Stdout)!["vulnerabilities"]!.AsArray().Select(v => (string)v!["id"]!));

        var missing = FootprintProcess.Run(_home.Path, null, "measure", "--db", Path.Combine(_home.Path, "none.db"), "-q", rootfs);
        Assert.Equal(2, missing.ExitCode);
    }

    /// <summary>Alpine 3.7.3 as an OCI image whose entrypoint is /usr/bin/ssl_client.</summary>
    private string SslClientImage()
    {
        var layout = Path.Combine(_home.Path, "ssl-client");
        if (!Directory.Exists(layout))
        {
            var layer = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz"));
            var diffId = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Gunzip(layer)));
            var config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/usr/bin/ssl_client\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
            Footprint.Tests.Store.TestImages.Layout(layout, ("latest", [layer]), config);
        }

        return layout;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static List<(string Package, string Id, string Status)> Findings(JsonNode json)
        => [.. json["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray().Select(f => ((string)f!["package"]!, (string)f["id"]!, (string)f["status"]!)).Order()];

    private string AlpineDatabase()
    {
        var db = Path.Combine(_home.Path, "alpine.db");
        if (!File.Exists(db))
        {
            Import(db, [.. new[] { "v3.4", "v3.6", "v3.7", "v3.10", "v3.11" }.Select(b => Repo.CorpusFile($"vulndata/alpine-secdb/{b}"))]);
        }

        return db;
    }

    private void Import(string db, params string[] feeds)
    {
        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, ["db", "import", "--db", db, .. feeds]);
        Assert.True(code == 0, stderr);
    }

    private JsonNode Vulns(string db, string artifact, params string[] extra)
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, ["vulns", "--db", db, "-q", "--no-cache", "-f", "json", .. extra, artifact]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }

    /// <summary>
    /// The findings an Alpine rootfs must have, computed here: its installed packages (P:, V:, o:) from
    /// lib/apk/db/installed (extracted by tar), each origin's secfixes from the branch's main and community YAML (read
    /// line by line), and the order of versions from `dpkg --compare-versions`, which agrees with apk on the plain
    /// versions these feeds and databases hold (a version with apk's _rc/_p suffixes fails the test rather than be trusted).
    /// </summary>
    private static List<(string, string, string)> ExpectedAlpine(string rootfs, string branch)
    {
        var installed = Tool.Output("tar", "-xOf", Repo.CorpusFile(rootfs), "--wildcards", "*lib/apk/db/installed");
        var packages = new List<(string Name, string Version, string Origin)>();
        foreach (var stanza in installed.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string Field(string key) => stanza.Split('\n').FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..] ?? string.Empty;
            packages.Add((Field("P"), Field("V"), Field("o") is { Length: > 0 } o ? o : Field("P")));
        }

        var fixes = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var file in new[] { "main.yaml", "community.yaml" })
        {
            string? name = null;
            string? version = null;
            foreach (var line in File.ReadAllLines(Repo.CorpusFile($"vulndata/alpine-secdb/{branch}/{file}")))
            {
                if (NameLine().Match(line) is { Success: true } n)
                {
                    name = n.Groups[1].Value;
                    version = null;
                }
                else if (VersionLine().Match(line) is { Success: true } v && name is not null)
                {
                    version = v.Groups[1].Value;
                }
                else if (CveLine().Match(line) is { Success: true } c && name is not null && version is not null)
                {
                    var byCve = fixes.TryGetValue(name, out var d) ? d : fixes[name] = new(StringComparer.Ordinal);
                    (byCve.TryGetValue(c.Groups[1].Value, out var l) ? l : byCve[c.Groups[1].Value] = []).Add(version);
                }
            }
        }

        var expected = new List<(string, string, string)>();
        foreach (var (package, version, origin) in packages)
        {
            foreach (var (cve, versions) in fixes.GetValueOrDefault(origin) ?? [])
            {
                var fixedIn = versions.Where(v => v != "0").ToList();
                if (fixedIn.Count == 0 || versions.Contains("0"))
                {
                    continue;
                }

                if (fixedIn.All(f => Older(f, version) || f == version))
                {
                    continue;
                }

                expected.Add((package, cve, fixedIn.All(f => Older(version, f)) ? "affected" : "ambiguous-fix"));
            }
        }

        return [.. expected.Order()];
    }

    /// <summary>
    /// The findings of a Debian dpkg status against a DSA list, computed here: each DSA's CVEs and its fixed version
    /// for the release, the binary packages whose Source: (or own name) is the DSA's package and whose source version
    /// `dpkg --compare-versions` orders before the fix.
    /// </summary>
    private static List<(string, string, string)> ExpectedDebian(string status, string dsaList, string codename)
    {
        var fixes = new List<(string Source, string Cves, string Version)>();
        List<string> cves = [];
        foreach (var line in File.ReadAllLines(dsaList))
        {
            if (line.StartsWith('['))
            {
                cves = [];
            }
            else if (line.TrimStart().StartsWith('{'))
            {
                cves = [.. line.Trim().Trim('{', '}').Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(c => c.StartsWith("CVE-", StringComparison.Ordinal))];
            }
            else if (DsaRelease().Match(line) is { Success: true } m && m.Groups[1].Value == codename && m.Groups[3].Value != "<not-affected>")
            {
                foreach (var cve in cves)
                {
                    fixes.Add((m.Groups[2].Value, cve, m.Groups[3].Value));
                }
            }
        }

        var expected = new HashSet<(string, string, string)>();
        foreach (var stanza in File.ReadAllText(status).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = stanza.Split('\n');
            string? Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];
            if (Field("Status") is not { } state || !state.EndsWith(" installed", StringComparison.Ordinal))
            {
                continue;
            }

            var name = Field("Package")!;
            var version = Field("Version")!;
            var source = Field("Source") ?? name;
            var sourceVersion = version;
            if (SourceWithVersion().Match(source) is { Success: true } s)
            {
                source = s.Groups[1].Value;
                sourceVersion = s.Groups[2].Value;
            }

            foreach (var group in fixes.Where(f => f.Source == source).GroupBy(f => f.Cves))
            {
                var versions = group.Select(f => f.Version).Distinct().ToList();
                if (versions.Any(v => Older(sourceVersion, v)) && !versions.All(v => !Older(sourceVersion, v)))
                {
                    versions.Sort((a, b) => a == b ? 0 : Older(a, b) ? -1 : 1);
                    expected.Add((name, group.Key, string.Join(' ', versions)));
                }
            }
        }

        return [.. expected.Order()];
    }

    private static bool Older(string a, string b)
    {
        Assert.DoesNotMatch(ApkSuffix(), a);
        Assert.DoesNotMatch(ApkSuffix(), b);
        return Tool.Run("dpkg", "--compare-versions", a, "lt", b).ExitCode == 0;
    }

    [GeneratedRegex(@"^\s+name: (\S+)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s+([0-9][^:\s]*):\s*$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^\s+- (CVE-\d+-\d+)")]
    private static partial Regex CveLine();

    [GeneratedRegex(@"^\s+\[(\w+)\] - (\S+) (\S+)")]
    private static partial Regex DsaRelease();

    [GeneratedRegex(@"^(\S+) \((\S+)\)$")]
    private static partial Regex SourceWithVersion();

    [GeneratedRegex(@"_(alpha|beta|pre|rc|p|cvs|svn|git|hg)\d*")]
    private static partial Regex ApkSuffix();
}
