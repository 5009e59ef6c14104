using System.Text.Json.Nodes;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Catalog;
using Footprint.Tests.Reports.Choices;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Catalog;

/// <summary>
/// catalog/shipped.json cannot drift from what footprint measures: every entry of a corpus artifact (fixed bytes,
/// fixed digest) is measured again here, through the same library calls `catalog add` makes, and must equal the
/// shipped entry exactly. A change of any figure, analyzer version or rule fails this test until catalog/build.sh is
/// run again. (Entries of tests/fixtures/out are left out: those images are rebuilt with each Debian point release.)
/// </summary>
public sealed class ShippedCatalogTests
{
    private static readonly string ShippedPath = Path.Combine(Repo.Root, "catalog", "shipped.json");

    private static CatalogDocument Shipped() => CatalogJson.Read(ShippedPath, File.ReadAllBytes(ShippedPath));

    [Fact]
    public void Should_match_its_schema_and_hold_every_world()
    {
        var text = File.ReadAllText(ShippedPath);
        Assert.True(ChooseSchemas.Valid(ChooseSchemas.Catalog, text));
        var shipped = Shipped();
        Assert.True(shipped.Entries.Count >= 40, $"{shipped.Entries.Count} entries");
        foreach (var world in Worlds.All)
        {
            Assert.Contains(shipped.Entries, e => e.Identity.World == world);
        }

        Assert.All(shipped.Entries, e => Assert.Null(e.RunningMemory));
    }

    [Fact]
    public void Should_equal_a_fresh_measurement_of_every_corpus_artifact()
    {
        var corpus = Shipped().Entries.Where(e => e.Artifact.Input.StartsWith("../shared/corpus/", StringComparison.Ordinal)).ToList();
        Assert.True(corpus.Count >= 30, $"{corpus.Count} corpus entries");
        var options = new MeasureOptions();
        var drifted = new List<string>();
        Parallel.ForEach(corpus, new ParallelOptions { MaxDegreeOfParallelism = 2 }, shipped =>
        {
            var path = Path.GetFullPath(Path.Combine(Repo.Root, shipped.Artifact.Input));
            var report = ReportAssembler.Measure(path, options);
            var (digest, commands) = ArtifactFacts.Read(path, options);
            var given = shipped.Identity.WorldReason == "given with --world" ? shipped.Identity.World : null;
            var fresh = CatalogEntryBuilder.Build(report, shipped.Artifact.Input, digest, commands, options, shipped.Name, given);
            var expected = JsonNode.Parse(CatalogJson.Entry(shipped))!.ToJsonString();
            var actual = JsonNode.Parse(CatalogJson.Entry(fresh))!.ToJsonString();
            if (expected != actual)
            {
                lock (drifted)
                {
                    drifted.Add($"{shipped.Name}:\n  shipped {expected[..Math.Min(600, expected.Length)]}\n  now     {actual[..Math.Min(600, actual.Length)]}");
                }
            }
        });
        Assert.True(drifted.Count == 0, "catalog/shipped.json drifted (run catalog/build.sh):\n" + string.Join("\n", drifted));
    }

    [Fact]
    public void Should_record_the_digest_of_each_corpus_file_as_the_manifest_lists_it()
    {
        // Independent truth: shared/corpus/provenance.tsv (local_path, description, repo, commit, path, sha256, size).
        var truth = File.ReadAllLines(Path.Combine(Repo.Corpus, "provenance.tsv")).Select(l => l.Split('\t'))
            .Where(c => c.Length >= 7).ToDictionary(c => c[0], c => c[5], StringComparer.Ordinal);
        var files = Shipped().Entries.Where(e => e.Artifact.Input.StartsWith("../shared/corpus/", StringComparison.Ordinal)).ToList();
        foreach (var e in files)
        {
            var local = e.Artifact.Input["../shared/corpus/".Length..];
            Assert.True(truth.TryGetValue(local, out var sha), local);
            Assert.Equal("sha256:" + sha, e.Artifact.Digest);
        }
    }
}
