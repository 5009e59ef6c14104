using System.Text.Json;
using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;
using Json.Schema;

namespace Footprint.Tests.Cli;

/// <summary>
/// `footprint compare` as a user runs it: every figure equals the one `measure -f json` (or `measure --db`) writes for
/// the same artifact, the winner is the smallest, and --baseline differences are exact.
/// </summary>
public sealed class CompareCommandTests : IDisposable
{

    /// <summary>Row id -> where `measure -f json` has the figure (a JSON path under the artifact).</summary>
    private static readonly Dictionary<string, Func<JsonNode, long?>> MeasureFigures = new()
    {
        ["download-bytes"] = a => (long?)a["download"]!["totalBytes"],
        ["installed-apparent-bytes"] = a => (long?)a["installed"]!["apparentBytes"],
        ["installed-on-disk-bytes"] = a => (long?)a["installed"]!["onDiskBytes"],
        ["ram-resident-minimum-bytes"] = a => (long?)a["ramResident"]?["minimumBytes"],
        ["ram-resident-toram-bytes"] = a => (long?)a["ramResident"]?["toRamBytes"],
        ["surface-score"] = a => (long?)a["surface"]?["score"]!["total"],
        ["packages"] = a => a["inventory"]?["packages"]!.AsArray().Count,
        ["files"] = a => (long?)a["installed"]!["files"],
        ["vulnerabilities"] = a => a["vulnerabilities"] is { } v && (bool)v["covered"]! ? v["bySeverity"]!.AsObject().Sum(kv => (long)kv.Value!) : null,
        ["vulnerabilities-critical"] = a => a["vulnerabilities"] is { } v && (bool)v["covered"]! ? (long?)v["bySeverity"]!["critical"] ?? 0 : null,
        ["vulnerabilities-high"] = a => a["vulnerabilities"] is { } v && (bool)v["covered"]! ? (long?)v["bySeverity"]!["high"] ?? 0 : null,
    };

    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Should_put_an_image_a_live_iso_and_a_firmware_side_by_side_with_measure_s_figures()
    {
        string[] inputs =
        [
            "oci:" + Path.Combine(Repo.Fixture("debian/oci")) + ":minbase",
            Repo.Fixture("live/tinycore.iso"),
            Directory.GetFiles(Repo.CorpusFile("firmware/openwrt/wr841n-v9"), "*.bin").Single(),
        ];
        var comparison = Compare([.. inputs]);
        var measured = inputs.Select(Measure).ToList();
        AssertFigures(comparison, measured);

        var artifacts = comparison["artifacts"]!.AsArray();
        Assert.Equal(["oci-layout", (string)measured[1]["kind"]!, "firmware"], artifacts.Select(a => (string)a!["kind"]!));
        Assert.Equal("procd", (string)artifacts[2]!["init"]!);
        Assert.Contains("opkg", artifacts[2]!["packageManagers"]!.AsArray().Select(p => (string)p!));
        Assert.StartsWith("glibc", (string)artifacts[0]!["libc"]!, StringComparison.Ordinal);
        Assert.Contains(comparison["rows"]!.AsArray(), r => (string)r!["id"]! == "ram-resident-minimum-bytes");
    }

    [Fact]
    public void Should_give_exact_differences_from_the_baseline()
    {
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var old = Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz");
        var debian = "oci:" + Repo.Fixture("debian/oci") + ":minbase";
        var comparison = Compare("--baseline", alpine, old, alpine, debian);
        Assert.Equal(1, (int)comparison["baseline"]!);
        var measured = new[] { old, alpine, debian }.Select(Measure).ToList();
        AssertFigures(comparison, measured);
        foreach (var row in comparison["rows"]!.AsArray())
        {
            var id = (string)row!["id"]!;
            var differences = row["differences"]!.AsArray();
            for (var i = 0; i < 3; i++)
            {
                var value = MeasureFigures[id](measured[i]);
                var baseline = MeasureFigures[id](measured[1]);
                Assert.Equal(value is { } v && baseline is { } b ? v - b : null, (long?)differences[i]);
            }
        }

        var (code, table, stderr) = FootprintProcess.Run(_home.Path, null, "compare", "-q", "--no-cache", "--baseline", alpine, old, alpine, debian);
        Assert.True(code == 0, stderr);
        Assert.Contains("baseline", table, StringComparison.Ordinal);
        Assert.Contains("(+", table, StringComparison.Ordinal);
        Assert.Contains("wins", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_compare_vulnerability_counts_with_a_database_as_measure_db_counts_them()
    {
        var db = Path.Combine(_home.Path, "alpine.db");
        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, ["db", "import", "--db", db, .. new[] { "v3.7", "v3.10" }.Select(b => Repo.CorpusFile($"vulndata/alpine-secdb/{b}"))]);
        Assert.True(code == 0, stderr);
        string[] inputs = [Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz"), Repo.CorpusFile("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz"), Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")];
        var comparison = Compare(["--db", db, .. inputs]);
        var measured = inputs.Select(i => Measure(i, "--db", db)).ToList();
        AssertFigures(comparison, measured);
        var vulns = comparison["rows"]!.AsArray().Single(r => (string)r!["id"]! == "vulnerabilities")!;
        Assert.True((long)vulns["values"]![0]! > 0, "3.7.3 has findings in the secdb");
        Assert.Null(vulns["values"]![2]);
        Assert.Equal([1], vulns["winners"]!.AsArray().Select(w => (int)w!));
    }

    [Fact]
    public void Should_escape_artifact_strings_and_name_the_artifact_that_cannot_be_read()
    {
        var hostile = Path.Combine(_home.Path, "hostile.tar");
        HostileRootfs.Write(hostile);
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "compare", "-q", "--no-cache", alpine, hostile);
        Assert.True(code == 0, stderr);
        TerminalSafetyTests.AssertNoRawControls(stdout);
        Assert.Contains(@"Evil \e[31mLinux\u202e\a", stdout, StringComparison.Ordinal);

        var bad = Path.Combine(_home.Path, "bad\u001b[31m.bin");
        File.WriteAllBytes(bad, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "compare", "-q", "--no-cache", alpine, bad, hostile);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(Path.Combine(_home.Path, @"bad\e[31m.bin"), stderr, StringComparison.Ordinal);
        TerminalSafetyTests.AssertNoRawControls(stderr);

        (code, _, stderr) = FootprintProcess.Run(_home.Path, null, "compare", "--baseline", "elsewhere", alpine, hostile);
        Assert.Equal(2, code);
        Assert.Contains("--baseline", stderr, StringComparison.Ordinal);
    }

    /// <summary>Every row's values are measure's figures, and its winners are the smallest of them.</summary>
    private static void AssertFigures(JsonNode comparison, IReadOnlyList<JsonNode> measured)
    {
        var rows = comparison["rows"]!.AsArray();
        Assert.Equal(MeasureFigures.Keys.Where(id => measured.Any(m => MeasureFigures[id](m) is not null)).Order(StringComparer.Ordinal),
            rows.Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var id = (string)row!["id"]!;
            var expected = measured.Select(MeasureFigures[id]).ToList();
            Assert.Equal(expected, row["values"]!.AsArray().Select(v => (long?)v));
            var ranked = row["better"] is not null;
            var present = expected.Where(v => v is not null).ToList();
            var winners = ranked && present.Count >= 2 ? Enumerable.Range(0, expected.Count).Where(i => expected[i] == present.Min()).ToList() : [];
            Assert.Equal(winners, row["winners"]!.AsArray().Select(w => (int)w!));
        }
    }

    private JsonNode Compare(params string[] args)
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, ["compare", "-q", "--no-cache", "-f", "json", .. args]);
        Assert.True(code == 0, stderr);
        var result = Schemas.Compare.Evaluate(JsonDocument.Parse(stdout).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        return JsonNode.Parse(stdout)!;
    }

    private JsonNode Measure(string input) => Measure(input, []);

    private JsonNode Measure(string input, params string[] extra)
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, ["measure", "-q", "--no-cache", "-f", "json", .. extra, input]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!["artifacts"]![0]!;
    }
}
