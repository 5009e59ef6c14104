using Footprint.Analyzers.Packages.Chisel;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>Chisel manifests against zstd + jq readings of the same jsonwall.</summary>
public sealed class ChiselManifestAnalyzerTests
{
    private const string Wall = "var/lib/chisel/manifest.wall";

    [Fact]
    public void Should_read_packages_and_the_paths_of_their_slices_as_jq_does()
    {
        var result = PackageScan.Run(DistroFixture.Tarball("chisel"), new ChiselManifestAnalyzer()).Result();
        var root = DistroFixture.Root("chisel");

        // jq -R 'fromjson?' skips the line that is not JSON, as the reader must.
        var expected = DistroFixture.ShellLines(root, $"zstd -dc {Wall} | jq -R -r 'fromjson? | select(.kind == \"package\") | \"\\(.name)\\t\\(.version)\\t\\(.arch)\"'");
        Assert.Equal(new SortedSet<string>(expected, StringComparer.Ordinal), PackageScan.Triples(result.Packages));
        foreach (var p in result.Packages)
        {
            var files = DistroFixture.ShellLines(root, $"zstd -dc {Wall} | jq -R -r 'fromjson? | select(.kind == \"path\") | select(any(.slices[]; startswith(\"{p.Name}_\"))) | .path | ltrimstr(\"/\") | rtrimstr(\"/\")' | LC_ALL=C sort -u");
            Assert.Equal(files, p.Files);
            var line = DistroFixture.ShellLines(root, $"zstd -dc {Wall} | grep -n '\"kind\":\"package\",\"name\":\"{p.Name}\",' | cut -d: -f1").Single();
            Assert.Equal(new Footprint.Analyzers.Packages.PackageEvidence("/" + Wall, int.Parse(line, System.Globalization.CultureInfo.InvariantCulture), 0), p.Evidence);
            Assert.StartsWith($"pkg:deb/ubuntu/{p.Name}@", p.Purl, StringComparison.Ordinal);
            Assert.EndsWith($"?arch={p.Architecture}", p.Purl, StringComparison.Ordinal);
        }

        var bad = DistroFixture.ShellLines(root, $"zstd -dc {Wall} | awk '{{ print NR \"\\t\" $0 }}' | while IFS=$'\\t' read -r n l; do printf '%s' \"$l\" | jq -e . >/dev/null 2>&1 || echo $n; done");
        Assert.Equal(bad, result.Unknowns.Select(u => u.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Should_record_plain_truncated_and_oversized_manifests_as_unknowns()
    {
        using var plain = PackageScan.Tree((Wall, "{\"jsonwall\":\"1.0\",\"schema\":\"1.0\",\"count\":1}\n{\"kind\":\"package\",\"name\":\"a\",\"version\":\"1\",\"arch\":\"amd64\"}\n"));
        var result = PackageScan.Run(plain.Path, new ChiselManifestAnalyzer()).Result();
        Assert.Empty(result.Packages);
        Assert.Contains(result.Unknowns, u => u.Reason.Contains("zstd", StringComparison.Ordinal));

        // A manifest cut in the middle of its zstd frame keeps the entries before the cut and says where it stopped.
        using var cut = PackageScan.Tree();
        Directory.CreateDirectory(Path.Combine(cut.Path, "var/lib/chisel"));
        var full = DistroFixture.Root("chisel") + "/" + Wall;
        Tool.Shell($"head -c $(( $(stat -c %s '{full}') / 2 )) '{full}' > '{cut.Path}/{Wall}'");
        var truncated = PackageScan.Run(cut.Path, new ChiselManifestAnalyzer()).Result();
        Assert.NotEmpty(truncated.Unknowns);

        // 80 MiB of one repeated line compresses to a few KiB: the guard stops at MaxManifestBytes.
        using var bomb = PackageScan.Tree();
        Directory.CreateDirectory(Path.Combine(bomb.Path, "var/lib/chisel"));
        Tool.Shell($"set +o pipefail; (echo '{{\"jsonwall\":\"1.0\",\"schema\":\"1.0\",\"count\":1}}'; yes '{{\"kind\":\"slice\",\"name\":\"a_b\"}}' | head -c 83886080) | zstd -q -19 -o '{bomb.Path}/{Wall}'");
        Assert.True(new FileInfo(Path.Combine(bomb.Path, Wall)).Length < ChiselManifestAnalyzer.MaxManifestBytes / 1000);
        var guarded = PackageScan.Run(bomb.Path, new ChiselManifestAnalyzer()).Result();
        Assert.Empty(guarded.Packages);
        Assert.Single(guarded.Unknowns);
    }

    [Fact]
    public void Should_report_a_missing_header_and_entries_without_name()
    {
        using var tree = PackageScan.Tree();
        Directory.CreateDirectory(Path.Combine(tree.Path, "var/lib/chisel"));
        Tool.Shell($"printf '%s\\n' '{{\"kind\":\"package\",\"name\":\"a\",\"version\":\"1\"}}' '{{\"kind\":\"package\",\"version\":\"2\"}}' '[1]' | zstd -q -o '{tree.Path}/{Wall}'");
        var result = PackageScan.Run(tree.Path, new ChiselManifestAnalyzer()).Result();
        Assert.Empty(result.Packages);
        Assert.Equal([1, 2, 3], result.Unknowns.Select(u => u.Line));
    }
}
