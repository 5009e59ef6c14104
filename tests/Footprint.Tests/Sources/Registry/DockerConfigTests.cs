using System.Text;
using Footprint.Formats;
using Footprint.Sources.Registry;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Registry;

/// <summary>Credentials from a docker client config: which `auths` key names which registry, and what an entry gives.</summary>
public sealed class DockerConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io", true)]
    [InlineData("docker.io", "docker.io", true)]
    [InlineData("registry-1.docker.io", "docker.io", true)]
    [InlineData("registry.example:5000", "registry.example:5000", true)]
    [InlineData("http://localhost:5000/v2/", "localhost:5000", true)]
    [InlineData("https://REGISTRY.example", "registry.example", true)]
    [InlineData("registry.example", "registry.example:5000", false)]
    [InlineData("registry.example:5000", "registry.example", false)]
    [InlineData("https://index.docker.io/v1/", "ghcr.io", false)]
    public void Should_match_auths_keys_to_registries(string key, string registry, bool expected)
        => Assert.Equal(expected, DockerConfig.Matches(key, registry));

    [Fact]
    public void Should_read_base64_auth_and_plain_fields()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pa:ss"));
        var path = Write("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"},\"r.example\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
        var hub = DockerConfig.Find(path, "docker.io")!;
        Assert.Equal(("alice", "pa:ss"), (hub.Username, hub.Secret));
        var other = DockerConfig.Find(path, "r.example")!;
        Assert.Equal(("bob", "pw"), (other.Username, other.Secret));
        Assert.Null(DockerConfig.Find(path, "ghcr.io"));
        Assert.Null(DockerConfig.Find(_dir.File("absent.json"), "docker.io"));
    }

    [Fact]
    public void Should_refuse_a_malformed_entry_without_quoting_it()
    {
        var path = Write("""{"auths":{"r.example":{"auth":"not-base64-secretvalue!"}}}""");
        var e = Assert.Throws<FootprintFormatException>(() => DockerConfig.Find(path, "r.example"));
        Assert.Contains("$.auths['r.example']", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secretvalue", e.Message, StringComparison.Ordinal);
        var typed = Write("""{"auths":{"r.example":{"auth":42}}}""");
        Assert.Contains("expected a string", Assert.Throws<FootprintFormatException>(() => DockerConfig.Find(typed, "r.example")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_hide_credentials_when_printed()
    {
        var credential = RegistryCredential.Parse("user:secret:with:colons");
        Assert.Equal("secret:with:colons", credential.Secret);
        Assert.DoesNotContain("secret", credential.ToString(), StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => RegistryCredential.Parse("no-colon-secret"));
        Assert.DoesNotContain("no-colon-secret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example:5000", true)]
    [InlineData("other.example:5000", false)]
    [InlineData("registry.example:6000", false)]
    public void Should_allow_plain_http_only_to_loopback_and_named_registries(string registry, bool expected)
        => Assert.Equal(expected, new RegistryOptions { InsecureRegistries = ["registry.example:5000"] }.AllowsPlainHttp(registry));

    private string Write(string json)
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}
