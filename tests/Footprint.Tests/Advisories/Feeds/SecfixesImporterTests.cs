using System.Text.RegularExpressions;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>Alpine secfixes YAML and secdb JSON, Wolfi/Chainguard secdb, against the corpus files.</summary>
public sealed class SecfixesImporterTests
{
    [Fact]
    public void Should_read_musl_CVE_2019_14697_fixed_in_1_1_22_r3_from_v3_10_main()
    {
        var file = Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml");
        var batch = FeedImporter.Import(file);

        Assert.Equal(FeedKind.AlpineSecfixesYaml, batch.Kind);
        Assert.Equal("alpine-secdb:3.10/main", batch.Key);
        Assert.Equal([new DistroRelease("alpine", "3.10")], batch.Coverage);
        var musl = Assert.Single(batch.Advisories, a => a.SourcePackage == "musl" && a.Id == "CVE-2019-14697");
        Assert.Equal(FixState.Fixed, musl.State);
        Assert.Equal(["1.1.22-r3"], musl.FixedVersions);
        Assert.Equal(new DistroRelease("alpine", "3.10"), musl.Release);
        // The record points at the line that names it: line 1130 is "          - CVE-2019-14697" under musl's 1.1.22-r3.
        Assert.Equal(1130, musl.Origin.Line);
        Assert.Equal("CVE-2019-14697", File.ReadLines(file).ElementAt(1129).Trim().TrimStart('-').Trim());
    }

    [Fact]
    public void Should_yield_one_record_per_package_and_identifier_as_counted_from_the_text()
    {
        // Independent count: every "- ID ..." line under a package's name, its first token shaped like an identifier
        // (xen's "CVE-????-?????  XSA-295" counts as XSA-295), distinct per package.
        var file = Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml");
        var expected = new HashSet<(string, string)>();
        string? name = null;
        foreach (var line in File.ReadLines(file))
        {
            var n = Regex.Match(line, @"^      name: (\S+)");
            if (n.Success)
            {
                name = n.Groups[1].Value;
                continue;
            }

            var item = Regex.Match(line, @"^\s+- (?!pkg:)(.*)$");
            var id = Regex.Match(item.Groups[1].Value, @"(?<![^ ])[A-Z][A-Z0-9]*-[A-Za-z0-9_.:-]+");
            if (item.Success && name is not null && id.Success)
            {
                expected.Add((name, id.Value));
            }
        }

        var batch = FeedImporter.Import(file);
        Assert.Equal(1159, expected.Count);
        Assert.Equal(expected.Order(), batch.Advisories.Select(a => (a.SourcePackage, a.Id)).Order());
    }

    [Fact]
    public void Should_keep_extra_identifiers_as_aliases_and_parenthesised_text_as_the_note()
    {
        var batch = FeedImporter.Import(Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml"));
        var xen = Assert.Single(batch.Advisories, a => a.SourcePackage == "xen" && a.Id == "CVE-2018-3639");
        Assert.Equal(["XSA-263"], xen.Aliases);
        var tcpdump = Assert.Single(batch.Advisories, a => a.SourcePackage == "tcpdump" && a.Id == "CVE-2017-16808");
        Assert.Equal("AoE", tcpdump.Note);
        // "CVE-????-?????  XSA-295": the placeholder is no identifier; the record is kept under XSA-295.
        Assert.Contains(batch.Advisories, a => a.SourcePackage == "xen" && a.Id == "XSA-295");
    }

    [Fact]
    public void Should_read_the_secdb_json_with_php_empty_objects_as_empty_lists()
    {
        // 312-main.json has "2.8.0-r0": {} and 311-community.json "packages": {} (PHP's empty array).
        var main = FeedImporter.Import(Repo.CorpusFile("vulndata/vuln-list-update/alpine/testdata/312-main.json"));
        Assert.Equal(FeedKind.AlpineSecdbJson, main.Kind);
        var ansible = Assert.Single(main.Advisories);
        Assert.Equal(("ansible", "CVE-2018-16876", "2.7.9-r0"), (ansible.SourcePackage, ansible.Id, ansible.FixedVersions.Single()));
        var empty = FeedImporter.Import(Repo.CorpusFile("vulndata/vuln-list-update/alpine/testdata/311-community.json"));
        Assert.Empty(empty.Advisories);
        Assert.Equal([new DistroRelease("alpine", "3.3")], empty.Coverage);
    }

    [Fact]
    public void Should_read_wolfi_secdb_with_version_0_as_not_affected()
    {
        var file = Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/wolfi/test-fixtures/input/secdb/security.json");
        var batch = FeedImporter.Import(file);
        Assert.Equal((FeedKind.ApkSecdbJson, "wolfi-secdb"), (batch.Kind, batch.Key));
        var coreutils = Assert.Single(batch.Advisories, a => a.SourcePackage == "coreutils");
        Assert.Equal((FixState.NotAffected, DistroTriage.ZeroVersion, "CVE-2016-2781"), (coreutils.State, coreutils.Triage, coreutils.Id));
        Assert.Equal(new DistroRelease("wolfi", "rolling"), coreutils.Release);
        // Independent count with jq: distinct (package, id) pairs.
        var expected = int.Parse(Tool.Output("jq", "[.packages[] | .pkg.name as $n | .pkg.secfixes | to_entries[] | .value[] | [$n, .]] | unique | length", file).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, batch.Advisories.Count);
    }

    [Fact]
    public void Should_tell_chainguard_from_its_reponame()
    {
        var batch = FeedImporter.Import(Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/chainguard/test-fixtures/input/secdb/security.json"));
        Assert.Equal("chainguard-secdb", batch.Key);
        Assert.All(batch.Advisories, a => Assert.Equal(new DistroRelease("chainguard", "rolling"), a.Release));
    }

    [Fact]
    public void Should_make_an_invalid_fixed_version_unknown_not_dropped()
    {
        var yaml = "distroversion: v3.10\nreponame: main\npackages:\n  - pkg:\n      name: musl\n      secfixes:\n        not a version:\n          - CVE-2019-14697\n";
        var batch = FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(yaml), "bad.yaml");
        var a = Assert.Single(batch.Advisories);
        Assert.Equal(FixState.Unknown, a.State);
        Assert.Equal(["not a version"], a.FixedVersions);
        Assert.Contains("not a valid apk version", a.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"distroversion\":\"v3.10\",\"packages\":[{\"pkg\":{\"name\":42}}]}", "$.packages[0].pkg.name: expected a string, found the number 42")]
    [InlineData("{\"distroversion\":\"v3.10\",\"packages\":[{\"pkg\":{\"name\":\"musl\",\"secfixes\":{\"1.0-r0\":\"CVE-1\"}}}]}", "$.packages[0].pkg.secfixes['1.0-r0']: expected a list, found the string 'CVE-1'")]
    [InlineData("{\"distroversion\":\"v3.10\",\"packages\":[{\"pkg\":{\"name\":\"musl\",\"secfixes\":{\"1.0-r0\":[1e999999]}}}]}", "$.packages[0].pkg.secfixes['1.0-r0'][0]: expected a string, found the number 1e999999")]
    [InlineData("{\"distroversion\":7,\"packages\":[]}", "$.distroversion: expected a string, found the number 7")]
    [InlineData("{\"packages\":[],\"urlprefix\":\"https://example.org\"}", "$: secdb without distroversion from an unknown distro")]
    public void Should_name_the_file_and_json_path_of_a_wrong_type(string json, string message)
    {
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(json), "hostile.json"));
        Assert.StartsWith("hostile.json: " + message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_name_the_yaml_line_of_a_wrong_type()
    {
        var yaml = "distroversion: v3.10\npackages:\n  - pkg:\n      name:\n        - a list\n";
        var e = Assert.Throws<FootprintFormatException>(() => FeedImporter.Import(System.Text.Encoding.UTF8.GetBytes(yaml), "bad.yaml"));
        Assert.Equal("bad.yaml: $.packages[0].pkg.name (line 5): expected a string, found a list", e.Message);
    }
}
