using System.Text.Json.Nodes;
using Footprint.Reports;
using Footprint.Reports.CycloneDx;
using Footprint.Reports.Sbom;
using Footprint.Reports.Spdx;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Sbom;

/// <summary>The CycloneDX and SPDX writers against the official schemas, on real corpus artifacts.</summary>
public sealed class SbomWriterTests
{
    private const string Alpine320 = "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz";

    private static readonly SbomOptions Options = SbomOptions.Create("test", "1700000000", DateTimeOffset.UnixEpoch);

    public static TheoryData<string> Inputs() => new()
    {
        Alpine320,
        "alpine/alpine-minirootfs-3.12.12-x86_64.tar.gz",
        "openwrt/openwrt-armvirt-64-default-rootfs.tar.gz",
        "alpine-old/alpine-3.5-rootfs.tar.xz",
    };

    private static readonly Dictionary<string, Report> Reports = [];

    private static Report Measure(string corpus)
    {
        lock (Reports)
        {
            if (!Reports.TryGetValue(corpus, out var report))
            {
                report = new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Load.Measure(Repo.CorpusFile(corpus))] };
                Reports[corpus] = report;
            }

            return report;
        }
    }

    public sealed class CycloneDx
    {
        [Theory]
        [MemberData(nameof(Inputs), MemberType = typeof(SbomWriterTests))]
        public void Should_validate_against_the_cyclonedx_1_6_schema(string corpus)
        {
            // Given
            var report = Measure(corpus);

            // When
            var json = CycloneDxWriter.ToJson(report, Options);

            // Then
            Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, json));
        }

        [Theory]
        [MemberData(nameof(Inputs), MemberType = typeof(SbomWriterTests))]
        public void Should_list_one_component_per_package_plus_the_os(string corpus)
        {
            var report = Measure(corpus);
            var packages = report.Artifacts[0].Inventory!.Packages;
            Assert.NotEmpty(packages);

            var bom = JsonNode.Parse(CycloneDxWriter.ToJson(report, Options))!;
            var components = bom["components"]!.AsArray();

            var hasOs = report.Artifacts[0].Identity.Os?.Id is not null;
            Assert.True(hasOs);
            Assert.Equal(packages.Count + 1, components.Count);
            Assert.Single(components, c => (string?)c!["type"] == "operating-system");
            var purls = components.Select(c => (string?)c!["purl"]).Where(p => p is not null).ToHashSet();
            Assert.All(packages, p => Assert.Contains(p.Purl, purls));
            var libraries = components.Where(c => (string?)c!["type"] == "library").Select(c => (string)c!["purl"]!).ToList();
            Assert.Equal(libraries.Order(StringComparer.Ordinal), libraries);
            // Every component appears in the dependency graph.
            var refs = bom["dependencies"]!.AsArray().Select(d => (string)d!["ref"]!).ToHashSet();
            Assert.All(components, c => Assert.Contains((string)c!["bom-ref"]!, refs));
            // Package-to-package edges are the report's resolved dependencies, nothing more or less.
            var edges = bom["dependencies"]!.AsArray().Where(d => libraries.Contains((string)d!["ref"]!))
                .SelectMany(d => d!["dependsOn"]!.AsArray().Select(t => (string)d!["ref"]! + " -> " + (string)t!)).Order(StringComparer.Ordinal).ToList();
            var expected = packages.SelectMany(p => p.DependsOn.Select(t => p.Purl + " -> " + t)).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, edges);
        }

        [Fact]
        public void Should_be_byte_identical_for_the_same_source_date_epoch()
        {
            var first = CycloneDxWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Load.Measure(Repo.CorpusFile(Alpine320))] }, Options);
            var second = CycloneDxWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Load.Measure(Repo.CorpusFile(Alpine320))] }, Options);

            Assert.Equal(first, second);
            var bom = JsonNode.Parse(first)!;
            Assert.Equal("2023-11-14T22:13:20Z", (string?)bom["metadata"]!["timestamp"]);
            Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string?)bom["serialNumber"]);
        }

        [Fact]
        public void Should_be_rejected_by_the_schema_when_mutated()
        {
            var bom = JsonNode.Parse(CycloneDxWriter.ToJson(Measure(Alpine320), Options))!;
            Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, bom.ToJsonString()));

            var unknownType = bom.DeepClone();
            unknownType["components"]![1]!["type"] = "banana";
            Assert.NotEmpty(Schemas.Errors(SbomSchemas.CycloneDx16, unknownType.ToJsonString()));

            // The trap the writer avoids: a non-SPDX id in license.id fails the (sibling) SPDX enum schema.
            var badLicenseId = bom.DeepClone();
            badLicenseId["components"]![1]!["licenses"] = new JsonArray(new JsonObject { ["license"] = new JsonObject { ["id"] = "GPL2" } });
            Assert.NotEmpty(Schemas.Errors(SbomSchemas.CycloneDx16, badLicenseId.ToJsonString()));

            var badSerial = bom.DeepClone();
            badSerial["serialNumber"] = "not-a-urn";
            Assert.NotEmpty(Schemas.Errors(SbomSchemas.CycloneDx16, badSerial.ToJsonString()));
        }

        [Fact]
        public void Should_carry_the_apk_database_package_set_and_the_measurements()
        {
            var report = Measure(Alpine320);
            var bom = JsonNode.Parse(CycloneDxWriter.ToJson(report, Options))!;
            var expected = report.Artifacts[0].Inventory!.Packages.Select(p => (p.Name, p.Version)).ToHashSet();
            var actual = bom["components"]!.AsArray().Where(c => (string?)c!["type"] == "library")
                .Select(c => ((string)c!["name"]!, (string)c!["version"]!)).ToHashSet();

            Assert.Contains(("musl", "1.2.5-r0"), actual);
            Assert.Equal(expected.Order(), actual.Order());
            Assert.Equal(report.Artifacts[0].Inventory!.Packages.Count, actual.Count);

            var component = bom["metadata"]!["component"]!;
            Assert.Equal("file", (string?)component["type"]);
            var properties = component["properties"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (string)p!["value"]!);
            Assert.Equal(report.Artifacts[0].Installed.ApparentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["footprint:installed:apparentBytes"]);
            Assert.Equal(report.Artifacts[0].Download.TotalBytes!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["footprint:download:bytes"]);
            Assert.Contains("footprint:unownedBytes", properties.Keys);
            var names = component["properties"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);

            var os = bom["components"]!.AsArray().Single(c => (string?)c!["type"] == "operating-system")!;
            Assert.Equal("alpine", (string?)os["name"]);
            Assert.Equal("3.20.3", (string?)os["version"]);
        }
    }

    public sealed class Spdx
    {
        [Theory]
        [MemberData(nameof(Inputs), MemberType = typeof(SbomWriterTests))]
        public void Should_validate_against_the_spdx_2_3_schema(string corpus)
            => Assert.Empty(Schemas.Errors(SbomSchemas.Spdx23, SpdxWriter.ToJson(Measure(corpus), Options)));

        [Theory]
        [MemberData(nameof(Inputs), MemberType = typeof(SbomWriterTests))]
        public void Should_list_every_package_with_its_purl_and_a_unique_id(string corpus)
        {
            var report = Measure(corpus);
            var packages = report.Artifacts[0].Inventory!.Packages;
            var doc = JsonNode.Parse(SpdxWriter.ToJson(report, Options))!;
            var spdxPackages = doc["packages"]!.AsArray();

            // the artifact, the OS, then one per package
            Assert.Equal(packages.Count + 2, spdxPackages.Count);
            var ids = spdxPackages.Select(p => (string)p!["SPDXID"]!).ToList();
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
            Assert.All(ids, id => Assert.Matches("^SPDXRef-[A-Za-z0-9.-]+$", id));
            var purls = spdxPackages.SelectMany(p => p!["externalRefs"]?.AsArray() ?? []).Select(r => (string)r!["referenceLocator"]!).ToHashSet();
            Assert.All(packages, p => Assert.Contains(p.Purl, purls));

            var relationships = doc["relationships"]!.AsArray();
            Assert.Single(relationships, r => (string?)r!["relationshipType"] == "DESCRIBES" && (string?)r!["spdxElementId"] == "SPDXRef-DOCUMENT");
            Assert.Equal(packages.Count + 1, relationships.Count(r => (string?)r!["relationshipType"] == "CONTAINS"));
            var idOf = spdxPackages.Where(p => p!["externalRefs"] is not null)
                .ToDictionary(p => (string)p!["externalRefs"]!.AsArray()[0]!["referenceLocator"]!, p => (string)p!["SPDXID"]!);
            var dependsOn = relationships.Where(r => (string?)r!["relationshipType"] == "DEPENDS_ON")
                .Select(r => (string)r!["spdxElementId"]! + " -> " + (string)r!["relatedSpdxElement"]!).Order(StringComparer.Ordinal).ToList();
            var expected = packages.SelectMany(p => p.DependsOn.Select(t => idOf[p.Purl] + " -> " + idOf[t])).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, dependsOn);
            Assert.All(relationships, r => Assert.Contains((string)r!["relatedSpdxElement"]!, ids));
        }

        [Fact]
        public void Should_be_byte_identical_for_the_same_source_date_epoch()
        {
            var first = SpdxWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Load.Measure(Repo.CorpusFile(Alpine320))] }, Options);
            var second = SpdxWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Load.Measure(Repo.CorpusFile(Alpine320))] }, Options);

            Assert.Equal(first, second);
            var doc = JsonNode.Parse(first)!;
            Assert.Equal("2023-11-14T22:13:20Z", (string?)doc["creationInfo"]!["created"]);
            Assert.Equal("Tool: footprint-test", (string?)doc["creationInfo"]!["creators"]![0]);
            Assert.StartsWith("https://spdx.org/spdxdocs/footprint-alpine-minirootfs-3.20.3-x86-64.tar.gz-", (string?)doc["documentNamespace"], StringComparison.Ordinal);
        }

        [Fact]
        public void Should_be_rejected_by_the_schema_when_mutated()
        {
            var doc = JsonNode.Parse(SpdxWriter.ToJson(Measure(Alpine320), Options))!;
            var badPurpose = doc.DeepClone();
            badPurpose["packages"]![2]!["primaryPackagePurpose"] = "BANANA";
            Assert.NotEmpty(Schemas.Errors(SbomSchemas.Spdx23, badPurpose.ToJsonString()));

            var missingName = doc.DeepClone();
            missingName["packages"]![2]!.AsObject().Remove("name");
            Assert.NotEmpty(Schemas.Errors(SbomSchemas.Spdx23, missingName.ToJsonString()));
        }

        [Fact]
        public void Should_carry_the_apk_database_package_set()
        {
            var report = Measure(Alpine320);
            var doc = JsonNode.Parse(SpdxWriter.ToJson(report, Options))!;
            var expected = report.Artifacts[0].Inventory!.Packages.Select(p => (p.Name, p.Version)).ToHashSet();
            var actual = doc["packages"]!.AsArray().Where(p => (string?)p!["primaryPackagePurpose"] == "LIBRARY")
                .Select(p => ((string)p!["name"]!, (string)p!["versionInfo"]!)).ToHashSet();
            Assert.Equal(expected.Order(), actual.Order());
            var musl = doc["packages"]!.AsArray().Single(p => (string?)p!["name"] == "musl")!;
            Assert.Equal("MIT", (string?)musl["licenseDeclared"]);
        }
    }

    public sealed class Create
    {
        [Fact]
        public void Should_take_source_date_epoch_over_now()
        {
            var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0), SbomOptions.Create("v", "0", now).Created);
            Assert.Equal(now, SbomOptions.Create("v", null, now).Created);
            Assert.Equal(now, SbomOptions.Create("v", "", now).Created);
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("1.5")]
        [InlineData("yesterday")]
        public void Should_reject_a_source_date_epoch_that_is_not_whole_seconds(string value)
            => Assert.Throws<FormatException>(() => SbomOptions.Create("v", value, DateTimeOffset.UnixEpoch));

        [Fact]
        public void Should_refuse_a_report_of_several_artifacts()
        {
            var artifact = Measure(Alpine320).Artifacts[0];
            var report = new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [artifact, artifact] };
            Assert.Throws<ArgumentException>(() => CycloneDxWriter.ToJson(report, Options));
            Assert.Throws<ArgumentException>(() => SpdxWriter.ToJson(report, Options));
        }
    }

    public sealed class LicenseExpressions
    {
        [Theory]
        [InlineData("MIT")]
        [InlineData("GPL-2.0-or-later")]
        [InlineData("GPL-2.0+")]
        [InlineData("MIT AND BSD-2-Clause")]
        [InlineData("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0")]
        [InlineData("LicenseRef-custom")]
        [InlineData("DocumentRef-ext:LicenseRef-custom")]
        public void Should_accept(string text) => Assert.True(SpdxLicenseExpression.IsValid(text));

        [Theory]
        [InlineData("")]
        [InlineData("MIT BSD")]
        [InlineData("MIT AND")]
        [InlineData("(MIT")]
        [InlineData("MIT)")]
        [InlineData("GPL-2.0 and MIT")]
        [InlineData("Public Domain")]
        [InlineData("MIT WITH")]
        [InlineData("custom:foo")]
        [InlineData("MIT, BSD")]
        public void Should_reject(string text) => Assert.False(SpdxLicenseExpression.IsValid(text));
    }
}
