using System.Net;
using System.Security.Cryptography;
using System.Text;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Registry;

/// <summary>
/// A hostile registry (served by the test): every malformed answer is exit code 2 with one line naming the reference,
/// never a stack trace, a hang or an allocation sized by the server.
/// </summary>
public sealed class RegistryImageReaderTests : IDisposable
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
    private static readonly string ConfigDigest = Digest(Config);
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("wrong-digest", "content digest is sha256:")]
    [InlineData("pinned-digest", "content digest is sha256:")]
    [InlineData("huge-length", "declares 1099511627776 bytes, more than the 4194304 accepted")]
    [InlineData("endless-body", "more than the 4194304 bytes accepted")]
    [InlineData("schema1-type", "Docker schema 1 manifest")]
    [InlineData("schema1-json", "Docker schema 1 manifest")]
    [InlineData("wrong-types", "$.config.size: expected a number, found a string")]
    [InlineData("layers-object", "$.layers: expected an array, found an object")]
    [InlineData("not-json", "not valid JSON")]
    [InlineData("redirect-loop", "more than 5 redirects")]
    [InlineData("huge-config", "the registry declares 1099511627776 bytes for blob")]
    [InlineData("index-of-nothing", "the index lists no image manifest")]
    [InlineData("unknown-auth", "which is not supported")]
    public void Should_refuse_a_hostile_answer_with_one_line(string scenario, string expected)
    {
        using var server = new HttpFront(c => Serve(c, scenario));
        var reference = scenario == "pinned-digest" ? $"127.0.0.1:{server.Port}/r@sha256:{new string('1', 64)}" : $"127.0.0.1:{server.Port}/r:t";
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-q", "--no-cache", reference);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("footprint: error: 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
    }

    private static async Task Serve(HttpListenerContext c, string scenario)
    {
        var path = c.Request.Url!.AbsolutePath;
        var response = c.Response;
        if (path.Contains("/blobs/", StringComparison.Ordinal))
        {
            if (scenario == "huge-config")
            {
                response.ContentLength64 = 1L << 40;
                await response.OutputStream.WriteAsync(Config);
                response.Abort();
                return;
            }

            await Send(response, Config, "application/octet-stream");
            return;
        }

        var manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{OciManifest}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{ConfigDigest}}}","size":{{{Config.Length}}}},"layers":[]}""");
        switch (scenario)
        {
            case "wrong-digest":
                response.AddHeader("Docker-Content-Digest", "sha256:" + new string('0', 64));
                await Send(response, manifest, OciManifest);
                break;
            case "huge-length":
                response.ContentLength64 = 1L << 40;
                await response.OutputStream.WriteAsync(manifest);
                response.Abort();
                break;
            case "endless-body":
                response.ContentType = OciManifest;
                response.SendChunked = true;
                var chunk = new byte[1 << 16];
                for (var i = 0; i < 100; i++)
                {
                    await response.OutputStream.WriteAsync(chunk);
                }

                response.Abort();
                break;
            case "schema1-type":
                await Send(response, Encoding.UTF8.GetBytes("""{"schemaVersion":1,"name":"r","tag":"t","fsLayers":[]}"""), "application/vnd.docker.distribution.manifest.v1+prettyjws");
                break;
            case "schema1-json":
                await Send(response, Encoding.UTF8.GetBytes("""{"schemaVersion":1,"name":"r","tag":"t","fsLayers":[]}"""), "application/json");
                break;
            case "wrong-types":
                await Send(response, Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"config":{"digest":"{{ConfigDigest}}","size":"{{Config.Length}}"},"layers":[]}"""), OciManifest);
                break;
            case "layers-object":
                await Send(response, Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"config":{"digest":"{{{ConfigDigest}}}","size":{{{Config.Length}}}},"layers":{}}"""), OciManifest);
                break;
            case "not-json":
                await Send(response, "<html>hello</html>"u8.ToArray(), OciManifest);
                break;
            case "redirect-loop":
                response.StatusCode = 307;
                response.AddHeader("Location", path);
                response.Close();
                break;
            case "index-of-nothing":
                await Send(response, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray(), "application/vnd.oci.image.index.v1+json");
                break;
            case "unknown-auth":
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Negotiate");
                response.Close();
                break;
            default:
                await Send(response, manifest, OciManifest);
                break;
        }
    }

    private static async Task Send(HttpListenerResponse response, byte[] body, string contentType)
    {
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
