using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>The security tracker JSON (vunnel's and vulnerablecode's test inputs).</summary>
public sealed class DebianTrackerImporterTests
{
    private static string Vunnel => Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/debian/test-fixtures/input/debian.json");

    private static string VulnerableCode => Repo.CorpusFile("vulndata/vulnerablecode/vulnerabilities/tests/test_data/debian.json");

    [Fact]
    public void Should_give_one_record_per_release_entry_as_jq_counts()
    {
        var batch = FeedImporter.Import(Vunnel);
        Assert.Equal((FeedKind.DebianTrackerJson, "debian-tracker"), (batch.Kind, batch.Key));
        var expected = Tool.Output("jq", "-r", "to_entries[] | .key as $p | .value | to_entries[] | .key as $c | .value.releases | if type==\"object\" then to_entries[] | \"\\($p) \\($c) \\(.key)\" else empty end", Vunnel)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(25, expected.Length);
        Assert.Equal(expected.Select(l => l.Split(' ')).Select(p => $"{p[0]} {p[1]} {DistroRelease.Create("debian", p[2])}").Order(StringComparer.Ordinal),
            batch.Advisories.Select(a => $"{a.SourcePackage} {a.Id} {a.Release}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_map_zero_to_not_affected_open_eol_to_end_of_life_and_keep_urgency()
    {
        var batch = FeedImporter.Import(Vunnel);
        var zero = batch.Advisories.Where(a => a.Id == "CVE-2007-2383").ToList();
        Assert.Equal(4, zero.Count);
        Assert.All(zero, a => Assert.Equal((FixState.NotAffected, DistroTriage.ZeroVersion, SeverityLevel.Negligible), (a.State, a.Triage, a.Severity!.Level)));
        var eol = batch.Advisories.Single(a => a.Id == "CVE-2022-0456" && a.Release == new DistroRelease("debian", "10"));
        Assert.Equal((FixState.EndOfLife, DistroTriage.EndOfLife), (eol.State, eol.Triage));
        var bullseye = batch.Advisories.Single(a => a.Id == "CVE-2022-0456" && a.Release == new DistroRelease("debian", "11"));
        Assert.Equal(["98.0.4758.80-1~deb11u1"], bullseye.FixedVersions);
        Assert.Equal("$.chromium.CVE-2022-0456.releases.bullseye", bullseye.Origin.RecordPath);
        var high = batch.Advisories.First(a => a.Id == "CVE-2008-7220");
        Assert.Equal((SeverityLevel.High, "high**"), (high.Severity!.Level, high.Severity.Raw));
    }

    [Fact]
    public void Should_keep_no_dsa_as_its_own_state_with_the_reason()
    {
        var batch = FeedImporter.Import(VulnerableCode);
        var nodsa = batch.Advisories.Where(a => a.Triage == DistroTriage.NoDsa).ToList();
        var expected = int.Parse(Tool.Output("jq", "[.. | objects | select(has(\"nodsa\"))] | length", VulnerableCode).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, nodsa.Count);
        Assert.All(nodsa, a => Assert.Equal(FixState.Unfixed, a.State));
        Assert.Contains(nodsa, a => a.SourcePackage == "librsync" && a.Note == "Minor issue, too instrusive to backport");
    }

    [Fact]
    public void Should_accept_an_empty_releases_list_and_refuse_a_non_empty_one()
    {
        var empty = FeedImporter.Import("{\"chromium-browser\":{\"CVE-2022-0358\":{\"releases\":[]}}}"u8.ToArray(), "t.json");
        Assert.Empty(empty.Advisories);
        var e = Assert.Throws<FootprintFormatException>(() =>
            FeedImporter.Import("{\"a\":{\"CVE-1\":{\"releases\":{\"bullseye\":{\"status\":\"resolved\",\"fixed_version\":1}}}}}"u8.ToArray(), "t.json"));
        Assert.Equal("t.json: $.a.CVE-1.releases.bullseye.fixed_version: expected a string, found the number 1", e.Message);
    }
}
