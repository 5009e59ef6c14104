using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// `footprint vulns --vex/--ignore`, SPDX findings (`sbom -f spdx --db`) and `surface --db`, on real artifacts of the
/// corpus against its feeds. What must be suppressed is computed here from the documents themselves (the VEX JSON's
/// statements, the report's inventory purls), not by the code under test.
/// </summary>
public sealed class VulnsVexTests : IDisposable
{
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Should_suppress_exactly_what_our_own_openvex_claims_not_affected_when_fed_back()
    {
        // Alpine 3.4 with /usr/bin/getconf (musl only) as entrypoint: the OpenSSL findings are present, not loaded.
        var db = AlpineDatabase();
        var image = $"oci:{Image("alpine-old/alpine-3.4-rootfs.tar.xz", "/usr/bin/getconf")}:latest";
        var vexFile = Path.Combine(_home.Path, "ours.openvex.json");
        var (code, vex, stderr) = Run("vulns", "--db", db, "-q", "--no-cache", "-f", "openvex", "--vex-not-reachable", image);
        Assert.True(code == 0, stderr);
        File.WriteAllText(vexFile, vex);

        // Independently: the (vulnerability, product) pairs the document states not_affected, and the report's purls.
        var claimed = JsonNode.Parse(vex)!["statements"]!.AsArray().Where(s => (string)s!["status"]! == "not_affected")
            .Select(s => ((string)s!["vulnerability"]!["name"]!, (string)s["products"]![0]!["@id"]!)).ToHashSet();
        var plain = Vulns(db, image)["artifacts"]![0]!;
        var purlOf = plain["inventory"]!["packages"]!.AsArray().ToDictionary(p => ((string)p!["name"]!, (string)p["version"]!), p => (string)p!["purl"]!);
        var all = plain["vulnerabilities"]!["findings"]!.AsArray();
        var expected = all.Where(f => claimed.Contains(((string)f!["id"]!, purlOf[((string)f["package"]!, (string)f["version"]!)])))
            .Select(f => ((string)f!["package"]!, (string)f["id"]!)).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count, "the ambiguous fixes stay under investigation");

        var report = Vulns(db, image, "--vex", vexFile)["artifacts"]![0]!["vulnerabilities"]!;
        var findings = report["findings"]!.AsArray();
        Assert.Equal(all.Count, findings.Count);
        var suppressed = findings.Where(f => (bool?)f!["vex"]?["suppressed"] == true).Select(f => ((string)f!["package"]!, (string)f["id"]!)).Order().ToList();
        Assert.Equal(expected, suppressed);
        Assert.All(findings.Where(f => (bool?)f!["vex"]?["suppressed"] == true), f =>
        {
            Assert.Equal("vulnerable_code_not_in_execute_path", (string)f!["vex"]!["justification"]!);
            Assert.StartsWith(vexFile + " $.statements[", (string)f["vex"]!["source"]!, StringComparison.Ordinal);
        });
        Assert.Equal(expected.Count, (int)report["suppressed"]!);
        Assert.Equal(expected.Count, (int)report["suppressedBy"]![vexFile]!);
        Assert.Equal(all.Count - expected.Count, report["bySeverity"]!.AsObject().Sum(kv => (int)kv.Value!));
        Assert.Equal(all.Count - expected.Count, report["byReachability"]!.AsObject().Sum(kv => (int)kv.Value!));

        // SARIF marks exactly those as externally suppressed, so code-scanning dashboards hide them too.
        var (sarifCode, sarif, sarifErr) = Run("vulns", "--db", db, "-q", "--no-cache", "-f", "sarif", "--vex", vexFile, image);
        Assert.True(sarifCode == 0, sarifErr);
        Assert.Empty(Schemas.Errors(Schemas.Sarif210, sarif));
        var sarifSuppressed = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray().Where(r => r!["suppressions"] is not null)
            .Select(r => ((string)r!["locations"]![0]!["logicalLocations"]![0]!["name"]!, (string)r["ruleId"]!)).Order().ToList();
        Assert.Equal(expected, sarifSuppressed);

        // The gates ignore what is suppressed: the ambiguous CVE-2017-3738 still trips --fail-on unknown, until an ignore list drops it too.
        Assert.Equal(1, Run("vulns", "--db", db, "-q", "--no-cache", "--fail-on", "unknown", "--vex", vexFile, image).ExitCode);
        var ignore = Path.Combine(_home.Path, "ignore");
        File.WriteAllText(ignore, string.Join('\n', all.Select(f => (string)f!["id"]!).Except(expected.Select(e => e.Item2)).Distinct().Select(id => id + " # triaged")));
        Assert.Equal(0, Run("vulns", "--db", db, "-q", "--no-cache", "--fail-on", "unknown", "--vex", vexFile, "--ignore", ignore, image).ExitCode);
        Assert.Equal(1, Run("vulns", "--db", db, "-q", "--no-cache", "--fail-on", "unknown", "--ignore", ignore, image).ExitCode);
    }

    [Fact]
    public void Should_read_our_cyclonedx_vex_and_keep_what_it_says_is_exploitable()
    {
        var db = AlpineDatabase();
        var image = $"oci:{Image("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz", "/usr/bin/ssl_client")}:latest";
        var (code, bom, stderr) = Run("vulns", "--db", db, "-q", "--no-cache", "-f", "cyclonedx", "--vex-not-reachable", image);
        Assert.True(code == 0, stderr);
        var bomFile = Path.Combine(_home.Path, "bom.cdx.json");
        File.WriteAllText(bomFile, bom);

        var findings = Vulns(db, image, "--vex", bomFile)["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray();
        var vex = findings.ToDictionary(f => (string)f!["package"]!, f => ((string)f!["vex"]!["status"]!, (bool)f["vex"]!["suppressed"]!));
        Assert.Equal(("not_affected", true), vex["musl-utils"]);
        Assert.Equal(("exploitable", false), vex["musl"]);
        Assert.Equal(1, Run("vulns", "--db", db, "-q", "--no-cache", "--fail-on-reachable", "--vex", bomFile, image).ExitCode);

        // Written again as CycloneDX, the BOM carries the input's analysis for the suppressed finding.
        var (againCode, again, againErr) = Run("vulns", "--db", db, "-q", "--no-cache", "-f", "cyclonedx", "--vex", bomFile, image);
        Assert.True(againCode == 0, againErr);
        Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, again));
        var analyses = JsonNode.Parse(again)!["vulnerabilities"]!.AsArray()
            .Select(v => ((string)v!["affects"]![0]!["ref"]!).Contains("musl-utils", StringComparison.Ordinal) + " " + (string)v["analysis"]!["state"]! + " " + (string?)v["analysis"]!["justification"]).Order();
        Assert.Equal(["False exploitable ", "True not_affected code_not_reachable"], analyses);
    }

    [Fact]
    public void Should_scope_ignore_lines_by_purl_or_name_expire_them_and_escape_their_text()
    {
        var db = AlpineDatabase();
        var rootfs = Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz");
        string Suppressed(string list)
        {
            var file = Path.Combine(_home.Path, "ignore-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(file, list);
            var findings = Vulns(db, rootfs, "--ignore", file)["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray();
            return string.Join(' ', findings.Where(f => (bool?)f!["vex"]?["suppressed"] == true).Select(f => (string)f!["package"]!).Order());
        }

        Assert.Equal("musl-utils", Suppressed("# scoped by name\nCVE-2019-14697 musl-utils\n"));
        Assert.Equal("musl", Suppressed("CVE-2019-14697\tpkg:apk/alpine/musl@1.1.18-r3 exp:2999-12-31\n"));
        Assert.Equal("musl musl-utils", Suppressed("CVE-2019-14697 pkg:apk/alpine/musl-utils\nCVE-2019-14697 musl\n"));
        Assert.Equal(string.Empty, Suppressed("CVE-2019-14697 exp:2000-01-01\nCVE-2019-14697 pkg:apk/alpine/musl@1.1.18-r2\nCVE-2019-9999\n"));

        var hostile = Path.Combine(_home.Path, "hostile\u001b[31m.ignore");
        File.WriteAllText(hostile, "CVE-2019-14697 musl # owned\u001b]52;c;ZXZpbA==\u0007 \u202e\r\n");
        var (code, table, stderr) = Run("vulns", "--db", db, "-q", "--no-cache", "--ignore", hostile, rootfs);
        Assert.True(code == 0, stderr);
        Assert.Contains("1 finding suppressed by VEX or ignore files: 1 by ", table, StringComparison.Ordinal);
        Assert.Contains(@"hostile\e[31m.ignore", table, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', table);
        Assert.DoesNotContain('\u0007', table);
        Assert.DoesNotContain('\u202e', table);
        var vex = JsonNode.Parse(Run("vulns", "--db", db, "-q", "--no-cache", "-f", "openvex", "--ignore", hostile, rootfs).Stdout)!["statements"]!.AsArray();
        var ignored = vex.Single(s => ((string)s!["products"]![0]!["@id"]!).StartsWith("pkg:apk/alpine/musl@", StringComparison.Ordinal))!;
        Assert.Equal("not_affected", (string)ignored["status"]!);
        Assert.StartsWith("ignored per " + hostile + " line 1: owned", (string)ignored["impact_statement"]!, StringComparison.Ordinal);
        Assert.Equal("affected", (string)vex.Single(s => s != ignored)!["status"]!);
        var json = Vulns(db, rootfs, "--ignore", hostile)["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray();
        Assert.Equal("owned\u001b]52;c;ZXZpbA==\u0007 \u202e", (string)json.Single(f => (string)f!["package"]! == "musl")!["vex"]!["detail"]!);
    }

    [Theory]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"CVE-1\"},\"products\":[],\"status\":7}]}", "$.statements[0].status: expected a string, found the number 7")]
    [InlineData("{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"fine\"}}]}", "$.vulnerabilities[0].analysis.state: unknown analysis state 'fine'")]
    [InlineData("not json", "invalid JSON")]
    [InlineData("{\"a\":1}", "neither OpenVEX")]
    public void Should_refuse_a_malformed_vex_file_with_exit_2_naming_the_file_and_path(string text, string message)
    {
        var file = Path.Combine(_home.Path, "bad.vex.json");
        File.WriteAllText(file, text);
        var (code, _, stderr) = Run("vulns", "--db", AlpineDatabase(), "-q", "--no-cache", "--vex", file, Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz"));
        Assert.Equal(2, code);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_put_every_debian_finding_on_its_spdx_package_as_advisory_and_annotation()
    {
        var db = Path.Combine(_home.Path, "debian.db");
        Assert.Equal(0, Run("db", "import", "--db", db, Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list")).ExitCode);
        var rootfs = Repo.CorpusFile("pkgdb/jasonwsuk+viking_nginx");
        var (code, spdx, stderr) = Run("sbom", "-f", "spdx", "--db", db, "-q", "--no-cache", rootfs);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(SbomSchemas.Spdx23, spdx));

        var findings = Vulns(db, rootfs, "--no-reachability")["artifacts"]![0]!["vulnerabilities"]!["findings"]!.AsArray()
            .Select(f => ((string)f!["package"]!, (string)f["version"]!, (string)f["id"]!)).Order().ToList();
        Assert.NotEmpty(findings);
        var onPackages = new List<(string, string, string)>();
        foreach (var p in JsonNode.Parse(spdx)!["packages"]!.AsArray())
        {
            var advisories = (p!["externalRefs"]?.AsArray() ?? []).Where(r => (string)r!["referenceCategory"]! == "SECURITY").ToList();
            var annotations = p["annotations"]?.AsArray().Select(a => (string)a!["comment"]!).ToList() ?? [];
            Assert.Equal(advisories.Count, annotations.Count);
            foreach (var r in advisories)
            {
                Assert.Equal("advisory", (string)r!["referenceType"]!);
                var locator = (string)r["referenceLocator"]!;
                Assert.StartsWith("https://security-tracker.debian.org/tracker/CVE-", locator, StringComparison.Ordinal);
                var id = locator[(locator.LastIndexOf('/') + 1)..];
                Assert.Contains(annotations, a => a.StartsWith($"vulnerability {id}: status affected", StringComparison.Ordinal));
                onPackages.Add(((string)p["name"]!, (string)p["versionInfo"]!, id));
            }
        }

        Assert.Equal(findings, onPackages.Order().ToList());
    }

    [Fact]
    public void Should_add_a_vulnerabilities_line_to_surface_when_given_a_database()
    {
        var db = AlpineDatabase();
        var image = $"oci:{Image("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz", "/usr/bin/ssl_client")}:latest";
        var (code, table, stderr) = Run("surface", "--db", db, "-q", "--no-cache", image);
        Assert.True(code == 0, stderr);
        Assert.Contains("vulnerabilities: 2 findings (2 unknown); reachability: 1 loaded, 1 present-not-loaded; loaded: musl\n", table, StringComparison.Ordinal);

        var json = JsonNode.Parse(Run("surface", "--db", db, "-q", "--no-cache", "-f", "json", image).Stdout)!["artifacts"]![0]!;
        Assert.Equal(2, json["vulnerabilities"]!["findings"]!.AsArray().Count);
        Assert.NotNull(json["surface"]);
        Assert.DoesNotContain("vulnerabilities:", Run("surface", "-q", "--no-cache", image).Stdout, StringComparison.Ordinal);
    }

    /// <summary>A rootfs tarball of the corpus as a one-layer OCI image with <paramref name="entrypoint"/>.</summary>
    private string Image(string rootfs, string entrypoint)
    {
        var layout = Path.Combine(_home.Path, "image-" + Path.GetFileName(entrypoint) + "-" + Path.GetFileName(rootfs));
        if (Directory.Exists(layout))
        {
            return layout;
        }

        var gz = Path.Combine(_home.Path, Path.GetFileName(rootfs) + ".gz");
        var decompress = rootfs.EndsWith(".xz", StringComparison.Ordinal) ? "xz -dc" : "gzip -dc";
        Tool.Shell($"{decompress} '{Repo.CorpusFile(rootfs)}' > '{gz}.tar' && gzip -nc '{gz}.tar' > '{gz}'");
        var layer = File.ReadAllBytes(gz);
        var diffId = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(gz + ".tar")));
        var config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"" + entrypoint + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        Footprint.Tests.Store.TestImages.Layout(layout, ("latest", [layer]), config);
        return layout;
    }

    private string AlpineDatabase()
    {
        var db = Path.Combine(_home.Path, "alpine.db");
        if (!File.Exists(db))
        {
            var (code, _, stderr) = Run(["db", "import", "--db", db, .. new[] { "v3.4", "v3.7" }.Select(b => Repo.CorpusFile($"vulndata/alpine-secdb/{b}"))]);
            Assert.True(code == 0, stderr);
        }

        return db;
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => FootprintProcess.Run(_home.Path, null, args);

    private JsonNode Vulns(string db, string artifact, params string[] extra)
    {
        var (code, stdout, stderr) = Run(["vulns", "--db", db, "-q", "--no-cache", "-f", "json", .. extra, artifact]);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        return JsonNode.Parse(stdout)!;
    }
}
