using System.Text.RegularExpressions;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>The tracker's DSA and DLA lists (Apr 2023 mirror in the corpus).</summary>
public sealed class DebianListImporterTests
{
    private static readonly Lazy<FeedBatch> Dsa = new(() => FeedImporter.Import(Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list")));

    [Fact]
    public void Should_read_DSA_5218_1_zlib_fixed_in_bullseye()
    {
        var zlib = Assert.Single(Dsa.Value.Advisories, a => a.Id == "DSA-5218-1");
        Assert.Equal((new DistroRelease("debian", "11"), "zlib", FixState.Fixed), (zlib.Release, zlib.SourcePackage, zlib.State));
        Assert.Equal(["1:1.2.11.dfsg-2+deb11u2"], zlib.FixedVersions);
        Assert.Equal(["CVE-2022-37434"], zlib.Aliases);
        Assert.Equal(new DateTimeOffset(2022, 8, 25, 0, 0, 0, TimeSpan.Zero), zlib.Published);
        Assert.Equal(494, zlib.Origin.Line);
    }

    [Fact]
    public void Should_read_DSA_5343_1_openssl_with_its_five_CVEs()
    {
        var openssl = Assert.Single(Dsa.Value.Advisories, a => a.Id == "DSA-5343-1");
        Assert.Equal((new DistroRelease("debian", "11"), "openssl"), (openssl.Release, openssl.SourcePackage));
        Assert.Equal(["1.1.1n-0+deb11u4"], openssl.FixedVersions);
        Assert.Equal(["CVE-2022-2097", "CVE-2022-4304", "CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286"], openssl.Aliases);
    }

    [Fact]
    public void Should_give_one_record_per_release_line_and_keep_the_naks()
    {
        // Independent: count the "[release] - package ..." lines and the NAK words with grep.
        var file = Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list");
        var lines = File.ReadAllLines(file).Where(l => Regex.IsMatch(l, @"^\s+\[[a-z-]+\] - ")).ToList();
        Assert.Equal(lines.Count, Dsa.Value.Advisories.Count);
        Assert.Equal(lines.Count(l => l.Contains("<not-affected>", StringComparison.Ordinal)), Dsa.Value.Advisories.Count(a => a.Triage == DistroTriage.NotAffected));
        Assert.Equal(lines.Count(l => l.Contains("<end-of-life>", StringComparison.Ordinal)), Dsa.Value.Advisories.Count(a => a.State == FixState.EndOfLife));
        Assert.Contains(Dsa.Value.Advisories, a => a.Triage == DistroTriage.NotAffected);
        var woody = Assert.Single(Dsa.Value.Advisories, a => a.SourcePackage == "sash" && a.Release.Release == "3.0");
        Assert.Equal((FixState.NotAffected, "Older zlib not vulnerable"), (woody.State, woody.Note));
        Assert.Equal(new DateTimeOffset(2023, 3, 29, 0, 0, 0, TimeSpan.Zero), Dsa.Value.FeedDate);
    }

    [Fact]
    public void Should_read_a_dla_list_as_its_own_feed()
    {
        var dla = FeedImporter.Import(Repo.CorpusFile("vulndata/debian-security-tracker/data/DLA/list"));
        Assert.Equal((FeedKind.DebianDlaList, "debian-dla"), (dla.Kind, dla.Key));
        var systemd = Assert.Single(dla.Advisories, a => a.Id == "DLA-3377-1");
        Assert.Equal((new DistroRelease("debian", "10"), "systemd", "241-7~deb10u9"), (systemd.Release, systemd.SourcePackage, systemd.FixedVersions.Single()));
    }

    [Fact]
    public void Should_refuse_a_malformed_header_naming_its_line()
    {
        // vuln-list-update's own test list has "[19 Jul 2021] MALFORMED HEADER" on line 4.
        var file = Repo.CorpusFile("vulndata/vuln-list-update/debian/tracker/testdata/happy/data/DLA/list");
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(file));
        Assert.StartsWith($"{file}: line 4: expected '[release] - package version'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_no_dsa_ignored_and_postponed_as_their_own_states()
    {
        var text = "[01 Jan 2023] DSA-9999-1 foo - security update\n\t{CVE-2023-0001}\n\t[bullseye] - foo <no-dsa> (Minor issue)\n\t[buster] - foo <ignored>\n"
            + "\t[bookworm] - foo <postponed>\n\t[trixie] - foo <unfixed>\n\t[sid] - foo not+a+version\n";
        var batch = FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(text), "list");
        Assert.Equal(
            [(FixState.Unfixed, DistroTriage.NoDsa), (FixState.WontFix, DistroTriage.Ignored), (FixState.Unfixed, DistroTriage.Postponed),
                (FixState.Unfixed, DistroTriage.Open), (FixState.Unknown, DistroTriage.None)],
            batch.Advisories.Select(a => (a.State, a.Triage)));
        Assert.Equal("Minor issue", batch.Advisories[0].Note);
        Assert.Equal(["not+a+version"], batch.Advisories[4].FixedVersions);
    }
}
