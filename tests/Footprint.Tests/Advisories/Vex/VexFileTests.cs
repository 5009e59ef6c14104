using System.Text;
using Footprint.Advisories.Vex;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Vex;

/// <summary>VEX JSON as input: both formats recognised from the document, every field type-checked, hostile input refused with the file and JSON path.</summary>
public sealed class VexFileTests
{
    private const string OpenVex = """
        {"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2024-01-01T00:00:00Z","version":1,"statements":[
          {"vulnerability":{"name":"CVE-2019-14697","aliases":["ALPINE-1"]},"products":[{"@id":"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64"}],
           "status":"not_affected","justification":"vulnerable_code_not_present","impact_statement":"built without it"},
          {"vulnerability":{"name":"CVE-2","aliases":[]},"products":[{"@id":"pkg:oci/app@sha256%3Aabc","subcomponents":[{"@id":"pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u7"},{"identifiers":{"purl":"pkg:deb/debian/libcurl4"}}]}],
           "status":"affected","action_statement":"upgrade"},
          {"vulnerability":"CVE-3","products":["pkg:rpm/redhat/bash@5.1-2","https://example.com/not-a-purl"],"status":"under_investigation"}]}
        """;

    [Fact]
    public void Should_read_openvex_statements_with_aliases_subcomponents_and_the_0_0_shapes()
    {
        var statements = VexFile.ParseVex(Encoding.UTF8.GetBytes(OpenVex), "v.json");
        Assert.Equal(3, statements.Count);
        var first = statements[0];
        Assert.Equal(["CVE-2019-14697", "ALPINE-1"], first.Vulnerabilities);
        Assert.Equal(new PackageUrl("apk", "alpine", "musl", "1.1.18-r3"), Assert.Single(first.Products).Purl);
        Assert.Equal(("not_affected", "vulnerable_code_not_present", "built without it", "v.json", "$.statements[0]"), (first.Status, first.Justification, first.Detail, first.File, first.Location));
        Assert.True(first.Suppresses);
        Assert.Equal([new PackageUrl("deb", "debian", "curl", "7.74.0-1.3+deb11u7"), new PackageUrl("deb", "debian", "libcurl4", null)], statements[1].Products.Select(p => p.Purl));
        Assert.False(statements[1].Suppresses);
        Assert.Equal([new PackageUrl("rpm", "redhat", "bash", "5.1-2")], statements[2].Products.Select(p => p.Purl));
    }

    [Fact]
    public void Should_resolve_cyclonedx_affects_through_bom_refs_bom_links_and_purls()
    {
        var bom = """
            {"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"bom-ref":"c1","name":"zlib","purl":"pkg:apk/alpine/zlib@1.2.11-r1","components":[{"bom-ref":"c2","purl":"pkg:apk/alpine/zlib-dev@1.2.11-r1"}]}],
             "vulnerabilities":[
              {"id":"CVE-1","references":[{"id":"GHSA-x","source":{"name":"GitHub"}}],"analysis":{"state":"false_positive","detail":"no"},"affects":[{"ref":"c1"},{"ref":"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#c2"},{"ref":"pkg:apk/alpine/musl@1.2"}]},
              {"id":"CVE-2","affects":[{"ref":"c1"}]},
              {"id":"CVE-3","analysis":{"state":"in_triage"},"affects":[]}]}
            """;
        var statements = VexFile.ParseVex(Encoding.UTF8.GetBytes(bom), "b.json");
        Assert.Equal(2, statements.Count);
        Assert.Equal(["CVE-1", "GHSA-x"], statements[0].Vulnerabilities);
        Assert.Equal(["zlib", "zlib-dev", "musl"], statements[0].Products.Select(p => p.Purl!.Name));
        Assert.Equal(("false_positive", "no", true), (statements[0].Status, statements[0].Detail, statements[0].Suppresses));
        Assert.Equal("$.vulnerabilities[2]", statements[1].Location);
        Assert.False(statements[1].Suppresses);
    }

    [Theory]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":{}}", "$.statements: expected a list, found a mapping")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":1},\"products\":[],\"status\":\"affected\"}]}", "$.statements[0].vulnerability.name: expected a string, found the number 1")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"a\"},\"products\":[{\"@id\":[]}],\"status\":\"affected\"}]}", "$.statements[0].products[0]['@id']: expected a string, found a list")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"a\"},\"products\":[],\"status\":\"fine\"}]}", "$.statements[0].status: unknown status 'fine'")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"a\"},\"products\":[],\"status\":\"not_affected\",\"justification\":true}]}", "$.statements[0].justification: expected a string, found the boolean true")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"products\":[],\"status\":\"affected\"}]}", "$.statements[0]: missing 'vulnerability'")]
    [InlineData("{\"bomFormat\":\"CycloneDX\",\"components\":[{\"bom-ref\":5}]}", "$.components[0].bom-ref: expected a string, found the number 5")]
    [InlineData("{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"a\",\"analysis\":{\"state\":\"not_affected\"},\"affects\":[{\"ref\":null}]}]}", "$.vulnerabilities[0].affects[0].ref: expected a string, found null")]
    [InlineData("{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"a\",\"analysis\":{\"state\":\"not_affected\",\"justification\":\"because\"}}]}", "$.vulnerabilities[0].analysis.justification: unknown justification 'because'")]
    [InlineData("[1,2]", "$: neither OpenVEX")]
    [InlineData("\"\\ud800\"", "$: neither OpenVEX")]
    [InlineData("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":\"\\udc00x\",\"products\":[],\"status\":\"affected\"}]}", "$.statements[0].vulnerability: a string that is not valid UTF-16")]
    [InlineData("\u001b[31m<html>", "invalid JSON")]
    [InlineData("", "invalid JSON")]
    public void Should_refuse_wrong_types_and_non_json_naming_the_file_and_path(string text, string message)
    {
        var e = Assert.Throws<FootprintFormatException>(() => VexFile.ParseVex(Encoding.UTF8.GetBytes(text), "bad.json"));
        Assert.StartsWith("bad.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_deep_nesting_and_clip_huge_strings_in_messages()
    {
        var deep = "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        var e = Assert.Throws<FootprintFormatException>(() => VexFile.ParseVex(Encoding.UTF8.GetBytes(deep), "deep.json"));
        Assert.Contains("invalid JSON", e.Message, StringComparison.Ordinal);

        var huge = new string('A', 8 << 20);
        var bad = "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"a\"},\"products\":[],\"status\":\"" + huge + "\"}]}";
        var clipped = Assert.Throws<FootprintFormatException>(() => VexFile.ParseVex(Encoding.UTF8.GetBytes(bad), "huge.json"));
        Assert.True(clipped.Message.Length < 300, $"{clipped.Message.Length} characters");

        // A huge but well-formed id is just an id.
        var ok = "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{\"name\":\"" + huge + "\"},\"products\":[\"pkg:apk/alpine/" + huge + "\"],\"status\":\"fixed\"}]}";
        Assert.Equal(huge, Assert.Single(Assert.Single(VexFile.ParseVex(Encoding.UTF8.GetBytes(ok), "ok.json")).Products).Purl!.Name);
    }

    [Fact]
    public void Should_refuse_a_file_over_the_size_cap_before_parsing_it()
    {
        using var dir = new TempDir();
        var big = dir.File("big.json");
        using (var f = File.Create(big))
        {
            f.SetLength(VexFile.MaxFileBytes + 1L);
        }

        var e = Assert.Throws<FootprintFormatException>(() => VexFile.ReadVex(big));
        Assert.Equal(big, e.FileName);
        Assert.Contains($"longer than {VexFile.MaxFileBytes} bytes", e.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File("fits.txt"), "CVE-1\n");
        Assert.Single(VexFile.ReadIgnoreList(dir.File("fits.txt")));
    }
}
