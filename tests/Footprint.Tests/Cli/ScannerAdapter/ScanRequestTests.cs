using System.Text;
using Footprint.Cli.ScannerAdapter;

namespace Footprint.Tests.Cli.ScannerAdapter;

/// <summary>The body of POST /api/v1/scan: the fields a job takes, and each refusal's status (400, 422, 501).</summary>
public sealed class ScanRequestTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Should_take_every_field_of_a_scan_request()
    {
        var job = Parse($$$"""
            {"registry":{"url":"https://harbor.example:8443","authorization":"Bearer abc.def"},
             "artifact":{"repository":"library/app","digest":"{{{Digest}}}","tag":"1.0","mime_type":"application/vnd.docker.distribution.manifest.v2+json"}}
            """);
        Assert.Equal(new ScanJob("id-1", "https://harbor.example:8443", "Bearer abc.def", "library/app", Digest, "1.0", "application/vnd.docker.distribution.manifest.v2+json"), job);
    }

    [Fact]
    public void Should_default_the_mime_type_to_the_oci_manifest()
        => Assert.Equal("application/vnd.oci.image.manifest.v1+json", Parse(Request("\"x\"", $"\"{Digest}\"")).MimeType);

    [Fact]
    public void Should_take_the_last_of_repeated_members_instead_of_failing()
    {
        // Regression (fuzz target scan-request): JsonObject threw ArgumentException on a repeated name, answered 500.
        var job = Parse($$$"""{"registry":{"url":"http://a"},"registry":{"url":"http://b:5000"},"artifact":{"repository":"r","repository":"s","digest":"{{{Digest}}}"}}""");
        Assert.Equal("http://b:5000", job.RegistryUrl);
        Assert.Equal("s", job.Repository);
    }

    [Theory]
    [InlineData("{not json", 400)]
    [InlineData("[]", 400)]
    [InlineData("{\"registry\":{}}", 400)]
    [InlineData("{\"registry\":[],\"artifact\":{}}", 400)]
    [InlineData("", 400)]
    [InlineData("{\"registry\":{\"url\":\"http://a\"},\"artifact\":{\"repository\":\"r\",\"digest\":\"x\"}} trailing", 400)]
    public void Should_refuse_a_body_that_is_not_a_scan_request(string body, int status) => AssertRefused(body, status);

    [Theory]
    [InlineData("\"ftp://x\"", "\"r\"", "\"" + Digest + "\"")]
    [InlineData("\"not a url\"", "\"r\"", "\"" + Digest + "\"")]
    [InlineData("42", "\"r\"", "\"" + Digest + "\"")]
    [InlineData("\"http://a\"", "\"\"", "\"" + Digest + "\"")]
    [InlineData("\"http://a\"", "\"r\"", "\"sha256:1234\"")]
    [InlineData("\"http://a\"", "\"r\"", "\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"http://a\"", "\"r\"", "\"sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"http://a\"", "\"r\\ud800\"", "\"\\ud800\"")]
    public void Should_refuse_unusable_fields_with_422(string url, string repository, string digest)
        => AssertRefused($"{{\"registry\":{{\"url\":{url}}},\"artifact\":{{\"repository\":{repository},\"digest\":{digest}}}}}", 422);

    [Fact]
    public void Should_refuse_an_artifact_type_it_does_not_scan_with_501_without_echoing_odd_text()
    {
        var e = AssertRefused(Request("\"r\"", $"\"{Digest}\"", mimeType: "\"application/vnd.cncf.helm.config.v1+json\""), 501);
        Assert.Contains("application/vnd.cncf.helm.config.v1+json", e.Message, StringComparison.Ordinal);
        e = AssertRefused(Request("\"r\"", $"\"{Digest}\"", mimeType: "\"a\\nb\""), 501);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_deep_nesting_and_oversized_bodies_with_400()
    {
        AssertRefused(new string('[', 10_000) + new string(']', 10_000), 400);
        AssertRefused(Request("\"r\"", $"\"{Digest}\"", mimeType: "\"" + new string('a', ScanRequest.MaxRequestBytes) + "\""), 400);
    }

    [Fact]
    public void Should_never_quote_the_authorization_in_a_refusal()
    {
        const string Secret = "Bearer s3cr3t-token-never-shown";
        var e = AssertRefused($"{{\"registry\":{{\"url\":\"{Secret}\",\"authorization\":\"{Secret}\"}},\"artifact\":{{\"repository\":\"r\",\"digest\":\"{Digest}\"}}}}", 422);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }

    private static string Request(string repository, string digest, string url = "\"http://127.0.0.1:5000\"", string? mimeType = null)
        => $"{{\"registry\":{{\"url\":{url}}},\"artifact\":{{\"repository\":{repository},\"digest\":{digest}{(mimeType is null ? string.Empty : ",\"mime_type\":" + mimeType)}}}}}";

    private static ScanJob Parse(string body) => ScanRequest.Parse(Encoding.UTF8.GetBytes(body), "id-1");

    private static ScanRequestException AssertRefused(string body, int status)
    {
        var e = Assert.Throws<ScanRequestException>(() => Parse(body));
        Assert.Equal(status, e.Status);
        return e;
    }
}
