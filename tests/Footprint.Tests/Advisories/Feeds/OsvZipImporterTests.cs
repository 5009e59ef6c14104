using System.IO.Compression;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>OSV all.zip exports, built at test time from corpus records and hostile inputs.</summary>
public sealed class OsvZipImporterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Zip(string name, params (string Entry, byte[] Content)[] entries)
    {
        var path = _dir.File(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var s = zip.CreateEntry(entry, CompressionLevel.SmallestSize).Open();
            s.Write(content);
        }

        return path;
    }

    private static byte[] Corpus(string relative) => File.ReadAllBytes(Repo.CorpusFile(relative));

    [Fact]
    public void Should_read_every_record_of_an_all_zip()
    {
        var ubuntu = Directory.GetFiles(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var path = Zip("all.zip", ubuntu.Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray());
        var batch = FeedImporter.Import(path);
        Assert.Equal((FeedKind.OsvZip, "osv-zip:ubuntu"), (batch.Kind, batch.Key));
        var expected = ubuntu.Sum(f => int.Parse(Tool.Output("jq", "[.affected[] | select(.package.ecosystem | startswith(\"Ubuntu:\"))] | length", f).Trim(),
            System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, batch.Advisories.Count);
        Assert.Contains(batch.Advisories, a => a.Origin.File == path + "!USN-5614-1.json" && a.Release == new DistroRelease("ubuntu", "22.04"));
    }

    [Theory]
    [InlineData("../evil.json")]
    [InlineData("/etc/evil.json")]
    [InlineData("a/../../evil.json")]
    [InlineData("a\\..\\evil.json")]
    [InlineData("C:evil.json")]
    public void Should_refuse_a_zip_slip_name(string name)
    {
        var path = Zip("slip.zip", (name, Corpus("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json")));
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path));
        Assert.Contains("name escapes the archive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_an_entry_that_inflates_past_its_cap_without_trusting_the_header()
    {
        // 64 MiB of spaces compress to ~64 KiB: a bomb by ratio, and past the entry cap.
        var bomb = new byte[64 << 20];
        Array.Fill(bomb, (byte)' ');
        var path = Zip("bomb.zip", ("bomb.json", bomb));
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path, new FeedLimits { MaxZipEntryBytes = 1 << 20 }));
        Assert.Equal($"{path}!bomb.json: at offset {(1 << 20) + 81920 - ((1 << 20) % 81920)}: entry inflates past {1 << 20} bytes", e.Message);
        var ratio = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path, new FeedLimits { ZipRatioGraceBytes = 1 << 20 }));
        Assert.Contains("the zip inflates to more than", ratio.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_more_entries_than_the_cap()
    {
        var record = Corpus("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json");
        var path = Zip("many.zip", Enumerable.Range(0, 11).Select(i => ($"r{i}.json", record)).ToArray());
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path, new FeedLimits { MaxZipEntries = 10 }));
        Assert.Equal($"{path}: 11 zip entries, more than the 10 accepted", e.Message);
    }

    [Fact]
    public void Should_name_the_entry_and_path_of_a_bad_record()
    {
        var path = Zip("bad.zip", ("good.json", Corpus("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json")), ("bad.json", "{\"id\":5}"u8.ToArray()));
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path));
        Assert.Equal($"{path}!bad.json: $.id: expected a string, found the number 5", e.Message);
    }

    [Fact]
    public void Should_refuse_a_truncated_zip()
    {
        var path = Zip("t.zip", ("a.json", Corpus("vulndata/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json")));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);
        Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(path));
    }
}
