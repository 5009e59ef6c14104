using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>Wolfi advisory YAML (wolfi-dev/advisories) from the corpus.</summary>
public sealed class WolfiAdvisoryImporterTests
{
    private static string Busybox => Repo.CorpusFile("vulndata/wolfi-advisories/busybox.advisories.yaml");

    [Fact]
    public void Should_take_the_latest_event_of_each_advisory()
    {
        var batch = FeedImporter.Import(Busybox);
        Assert.Equal((FeedKind.WolfiAdvisoryYaml, "wolfi-advisories:busybox"), (batch.Kind, batch.Key));
        var ids = File.ReadLines(Busybox).Where(l => l.StartsWith("  - id: ", StringComparison.Ordinal)).Select(l => l[8..].Trim()).ToList();
        Assert.Equal(ids.Order(), batch.Advisories.Select(a => a.Id).Order());

        var fixedOne = batch.Advisories.Single(a => a.Id == "CGA-c95q-245j-h3hq");
        Assert.Equal((FixState.Fixed, "1.35.0-r3", "busybox"), (fixedOne.State, fixedOne.FixedVersions.Single(), fixedOne.SourcePackage));
        Assert.Equal(["CVE-2022-28391", "GHSA-h8c3-8522-vxc6"], fixedOne.Aliases);
        Assert.Equal(new DistroRelease("wolfi", "rolling"), fixedOne.Release);

        // Two false-positive events: the later one's reason wins.
        var falsePositive = batch.Advisories.Single(a => a.Id == "CGA-9hx4-xv8g-ff86");
        Assert.Equal((FixState.NotAffected, DistroTriage.FalsePositive, "vulnerable-code-not-in-execution-path"), (falsePositive.State, falsePositive.Triage, falsePositive.Note));

        var pending = batch.Advisories.Single(a => a.Id == "CGA-cqcp-63wq-mhqr");
        Assert.Equal((FixState.Unfixed, DistroTriage.PendingUpstreamFix), (pending.State, pending.Triage));
        Assert.Equal(new DateTimeOffset(2026, 1, 6, 16, 43, 35, TimeSpan.Zero), pending.Modified);
    }

    [Fact]
    public void Should_read_every_corpus_advisory_file_and_count_its_advisories()
    {
        foreach (var file in Directory.GetFiles(Repo.CorpusFile("vulndata/wolfi-advisories"), "*.yaml"))
        {
            var batch = FeedImporter.Import(file);
            var expected = File.ReadLines(file).Count(l => l.StartsWith("  - id: ", StringComparison.Ordinal));
            Assert.True(expected == batch.Advisories.Count, file);
        }
    }

    [Fact]
    public void Should_make_unknown_event_types_and_fixed_0_explicit()
    {
        var yaml = "schema-version: 2.0.2\npackage:\n  name: zlib\nadvisories:\n  - id: CGA-1\n    events:\n      - timestamp: 2024-01-01T00:00:00Z\n        type: fixed\n"
            + "        data:\n          fixed-version: \"0\"\n  - id: CGA-2\n    events:\n      - timestamp: 2024-01-01T00:00:00Z\n        type: something-new\n";
        var batch = FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(yaml), "zlib.advisories.yaml", advisoryYamlDistro: "chainguard");
        Assert.Equal((FixState.NotAffected, DistroTriage.ZeroVersion), (batch.Advisories[0].State, batch.Advisories[0].Triage));
        Assert.Equal(FixState.Unknown, batch.Advisories[1].State);
        Assert.Equal("unknown event type 'something-new'", batch.Advisories[1].Note);
        Assert.Equal(new DistroRelease("chainguard", "rolling"), batch.Advisories[0].Release);
    }
}
