using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>OSV records for the distro ecosystems.</summary>
public sealed class OsvImporterTests
{
    [Fact]
    public void Should_read_a_debian_dsa_record()
    {
        var batch = FeedImporter.Import(Repo.CorpusFile("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json"));
        Assert.Equal((FeedKind.OsvJson, "osv:DSA-3029-1"), (batch.Kind, batch.Key));
        var nginx = Assert.Single(batch.Advisories);
        Assert.Equal((new DistroRelease("debian", "7"), "nginx", FixState.Fixed), (nginx.Release, nginx.SourcePackage, nginx.State));
        Assert.Equal(["1.2.1-2.2+wheezy3"], nginx.FixedVersions);
        Assert.Equal([new AffectedRange("0", "1.2.1-2.2+wheezy3", null)], nginx.Ranges);
        Assert.Equal(["CVE-2014-3616"], nginx.Aliases);
        Assert.Equal(new DateTimeOffset(2014, 9, 20, 8, 18, 7, TimeSpan.Zero), batch.FeedDate);
    }

    [Fact]
    public void Should_scope_each_affected_entry_to_its_alpine_release()
    {
        var file = Repo.CorpusFile("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/CVE-2022-27449.json");
        var batch = FeedImporter.Import(file);
        var expected = Tool.Output("jq", "-r", ".affected[] | \"\\(.package.ecosystem) \\(.ranges[0].events[1].fixed)\"", file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, expected.Length);
        Assert.Equal(expected.Select(l => l.Split(' ')).Select(p => (OsvEcosystem.ToRelease(p[0]), p[1])),
            batch.Advisories.Select(a => ((DistroRelease?)a.Release, a.FixedVersions.Single())));
        Assert.Equal(new DistroRelease("alpine", "3.12"), batch.Advisories[0].Release);
    }

    [Fact]
    public void Should_read_ubuntu_records_with_pro_as_its_own_release_and_withdrawn_kept()
    {
        var usn = FeedImporter.Import(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/usn/USN-5614-1.json"));
        Assert.Equal(["18.04", "20.04", "22.04"], usn.Advisories.Select(a => a.Release.Release));
        Assert.Equal("1.20.0-1ubuntu0.1", usn.Advisories[2].FixedVersions.Single());

        var withdrawn = FeedImporter.Import(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/cve/2020/UBUNTU-CVE-2020-36325.json"));
        var jansson = Assert.Single(withdrawn.Advisories);
        Assert.Equal((new DistroRelease("ubuntu", "14.04-pro"), FixState.NotAffected, DistroTriage.Withdrawn), (jansson.Release, jansson.State, jansson.Triage));

        var unfixed = FeedImporter.Import(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/cve/2016/UBUNTU-CVE-2016-20013.json"));
        var eglibc = unfixed.Advisories.First(a => a.SourcePackage == "eglibc");
        Assert.Equal((FixState.Unfixed, SeverityLevel.Negligible), (eglibc.State, eglibc.Severity!.Level));
        Assert.Equal(["CVE-2016-20013"], eglibc.Aliases);
    }

    [Fact]
    public void Should_read_chainguard_and_wolfi_entries_of_one_record()
    {
        var batch = FeedImporter.Import(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/chainguard/test-fixtures/input/osv/CGA-224q-ccj5-2p53.json"));
        Assert.Contains(batch.Advisories, a => a.Release == new DistroRelease("chainguard", "rolling") && a.SourcePackage == "haproxy-2.2" && a.FixedVersions.Single() == "2.2.34-r0");
        Assert.Contains(batch.Advisories, a => a.Release == new DistroRelease("wolfi", "rolling") && a.SourcePackage == "haproxy-3.0");
        Assert.Equal("CVSS_V3", batch.Advisories[0].Severity!.Source);
    }

    [Theory]
    [InlineData("Alpine:v3.20", "alpine", "3.20")]
    [InlineData("Debian:12", "debian", "12")]
    [InlineData("Ubuntu:Pro:16.04:LTS", "ubuntu", "16.04-pro")]
    [InlineData("Ubuntu:24.10", "ubuntu", "24.10")]
    [InlineData("Red Hat:enterprise_linux:9::appstream", "rhel", "9")]
    [InlineData("Rocky Linux:8", "rocky", "8")]
    [InlineData("AlmaLinux:9", "alma", "9")]
    [InlineData("Wolfi", "wolfi", "rolling")]
    public void Should_map_distro_ecosystems(string ecosystem, string distro, string release)
        => Assert.Equal(new DistroRelease(distro, release), OsvEcosystem.ToRelease(ecosystem));

    [Theory]
    [InlineData("PyPI")]
    [InlineData("npm")]
    [InlineData("Alpine")]
    [InlineData("Ubuntu:Pro")]
    public void Should_not_map_other_ecosystems(string ecosystem) => Assert.Null(OsvEcosystem.ToRelease(ecosystem));

    [Fact]
    public void Should_skip_language_ecosystems_and_make_invalid_versions_unknown()
    {
        var json = """
            {"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[
              {"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.2"}]}]},
              {"package":{"ecosystem":"Debian:11","name":"zlib"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"not a version"}]}]}]}
            """;
        var batch = FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(json), "x.json");
        Assert.Equal(1, batch.SkippedRecords);
        var zlib = Assert.Single(batch.Advisories);
        Assert.Equal(FixState.Unknown, zlib.State);
        Assert.False(zlib.Ranges.Single().Valid);
        Assert.Equal(["not a version"], zlib.FixedVersions);
    }

    [Theory]
    [InlineData("{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"z\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":1}]}]}]}",
        "$.affected[0].ranges[0].events[0].fixed: expected a string, found the number 1")]
    [InlineData("{\"id\":\"X\",\"affected\":{}}", "$.affected: expected a list, found a mapping")]
    [InlineData("{\"id\":[],\"affected\":[]}", "$.id: expected a string, found a list")]
    [InlineData("{\"id\":\"X\",\"modified\":\"yesterday\"}", "$.modified: not a timestamp: 'yesterday'")]
    [InlineData("{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"z\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1\",\"introduced\":\"0\"}]}]}]}",
        "$.affected[0].ranges[0].events[0]: an event has exactly one of introduced, fixed, last_affected, limit")]
    public void Should_name_the_json_path_of_a_wrong_type(string json, string message)
    {
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(json), "osv.json"));
        Assert.Equal("osv.json: " + message, e.Message);
    }

    [Fact]
    public void Should_refuse_a_lone_surrogate_escape_as_bad_input()
    {
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import("{\"id\":\"\\ud800\",\"affected\":[]}"u8.ToArray(), "s.json"));
        Assert.StartsWith("s.json: $.id: a string that is not valid UTF-16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_invalid_utf8_inside_strings_and_keys_as_bad_input()
    {
        // Found by fuzzing: System.Text.Json parses these and throws InvalidOperationException only when they are read.
        byte[] badValue = [.. "{\"id\":\""u8, 0xFF, .. "\",\"affected\":[]}"u8];
        byte[] badKey = [.. "{\"a\":{\""u8, 0xC5, .. "\":{\"releases\":{}}}}"u8];
        // FeedImporter checks the whole file is UTF-8 first (not a feed); the importers get there through zip entries.
        Assert.Equal("u.json: not a known advisory feed (Alpine secfixes YAML or secdb JSON, Wolfi/Chainguard advisory YAML or secdb JSON, Debian DSA/DLA list or tracker JSON, OSV JSON or zip)",
            Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(badValue, "u.json")).Message);
        var (value, osv) = FeedJson.Parse(badValue, "u.json");
        using (value)
        {
            Assert.StartsWith("u.json: $.id: a string that is not valid UTF-16", Assert.Throws<FootprintFormatException>(() => OsvImporter.Import(osv)).Message,
                StringComparison.Ordinal);
        }

        var (document, root) = FeedJson.Parse(badKey, "k.json");
        using (document)
        {
            Assert.StartsWith("k.json: $.a: a string that is not valid UTF-16", Assert.Throws<FootprintFormatException>(() => DebianTrackerImporter.Import(root)).Message,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_refuse_json_nested_past_the_cap()
    {
        var deep = "{\"id\":\"X\",\"affected\":" + new string('[', 100) + new string(']', 100) + "}";
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(deep), "deep.json"));
        Assert.StartsWith("deep.json: line 1, byte ", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", e.Message, StringComparison.Ordinal);
    }
}
