using System.Text;
using System.Text.Json.Nodes;
using Footprint.Pipeline;
using Footprint.Sources.Registry;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Registry;

/// <summary>
/// Authentication against real registries on the shared storage: htpasswd Basic, and Bearer tokens from a token
/// endpoint the test runs; credentials from --creds, ~/.docker/config.json `auths` and a `credHelpers` helper. No
/// credential ever appears in anything footprint writes.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryClientTests(RegistryFixture registry) : IDisposable
{
    private const string User = "fp-user";
    private const string Password = "s3cret-Pa55word-xyzzy";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_say_clearly_that_a_basic_registry_needs_credentials()
    {
        using var basic = BasicRegistry();
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", $"{basic.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("needs credentials (HTTP 401", line, StringComparison.Ordinal);
        Assert.Contains("--creds", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_measure_a_basic_registry_with_creds_and_never_show_them()
    {
        using var basic = BasicRegistry();
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--no-cache", "-f", "json", "--creds", $"{User}:{Password}", $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        Assert.Equal("registry", (string?)JsonNode.Parse(stdout)!["artifacts"]![0]!["kind"]);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_refuse_wrong_creds_without_quoting_them()
    {
        using var basic = BasicRegistry();
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "--creds", $"{User}:wrong-{Password}", $"{basic.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Contains("refused the credentials", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_use_the_docker_config_auths()
    {
        using var basic = BasicRegistry();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var config = Path.Combine(_dir.Path, ".docker", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "{\"auths\":{\"http://" + basic.Host + "/v2/\":{\"auth\":\"" + auth + "\"}}}");
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "-f", "json", $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_use_a_credential_helper()
    {
        using var basic = BasicRegistry();
        var bin = Path.Combine(_dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var helper = Path.Combine(bin, "docker-credential-fptest");
        // The helper protocol: the server URL on stdin, {"ServerURL","Username","Secret"} on stdout.
        File.WriteAllText(helper, $$"""
            #!/bin/sh
            read server
            [ "$1" = get ] && [ "$server" = "{{basic.Host}}" ] || exit 1
            printf '{"ServerURL":"%s","Username":"{{User}}","Secret":"{{Password}}"}' "$server"
            """);
        Tool.Output("chmod", "700", helper);
        var config = Path.Combine(_dir.Path, ".docker", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "{\"credHelpers\":{\"" + basic.Host + "\":\"fptest\"}}");
        var env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
        var (code, stdout, stderr) = Run(env, "measure", "-q", "--download-only", "-f", "json", $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_get_a_bearer_token_with_creds_and_say_when_there_are_none()
    {
        using var issuer = new TokenIssuer(_dir.Path, User, Password);
        using var token = new LocalRegistry(registry.Storage, issuer.RegistryAuthSection);
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", $"{token.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Contains("needs credentials (HTTP 401", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = Run(null, "measure", "-q", "--no-cache", "-f", "json", "--creds", $"{User}:{Password}", $"{token.Host}/debian:minbase");
        Assert.True(code == 0, stderr + string.Join('\n', token.Log));
        Assert.True((bool)JsonNode.Parse(stdout)!["artifacts"]![0]!["layersVerified"]!);
        Assert.Contains(issuer.Front.Requests, r => r.StartsWith("GET /token", StringComparison.Ordinal));
        AssertNoSecret(stdout, stderr);
    }

    [Theory]
    [InlineData("auths")]
    [InlineData("helper")]
    public void Should_trade_an_identity_token_by_the_refresh_token_grant_and_never_show_it(string from)
    {
        using var issuer = new TokenIssuer(_dir.Path, User, Password);
        using var token = new LocalRegistry(registry.Storage, issuer.RegistryAuthSection);
        var config = Path.Combine(_dir.Path, ".docker", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        var bin = Path.Combine(_dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
        void Login(string refresh)
        {
            if (from == "auths")
            {
                // What `docker login` writes for an OAuth2 registry: no auth, an identitytoken.
                File.WriteAllText(config, "{\"auths\":{\"" + token.Host + "\":{\"auth\":\"\",\"identitytoken\":\"" + refresh + "\"}}}");
                return;
            }

            var helper = Path.Combine(bin, "docker-credential-fptoken");
            File.WriteAllText(helper, $$"""
                #!/bin/sh
                read server
                printf '{"ServerURL":"%s","Username":"<token>","Secret":"{{refresh}}"}' "$server"
                """);
            Tool.Output("chmod", "700", helper);
            File.WriteAllText(config, "{\"credHelpers\":{\"" + token.Host + "\":\"fptoken\"}}");
        }

        Login(issuer.RefreshToken);
        var (code, stdout, stderr) = Run(env, "measure", "-q", "--no-cache", "-f", "json", $"{token.Host}/debian:minbase");
        Assert.True(code == 0, stderr + string.Join('\n', token.Log));
        Assert.True((bool)JsonNode.Parse(stdout)!["artifacts"]![0]!["layersVerified"]!);
        var form = Assert.Single(issuer.Forms);
        Assert.Equal(("refresh_token", issuer.RefreshToken, TokenIssuer.Service, "repository:debian:pull"),
            (form["grant_type"], form["refresh_token"], form["service"], form["scope"]));
        Assert.DoesNotContain(issuer.Front.Requests, r => r.StartsWith("GET /token", StringComparison.Ordinal));
        Assert.DoesNotContain(issuer.Front.Authorizations, a => a.StartsWith("Basic", StringComparison.Ordinal));
        Assert.DoesNotContain(issuer.RefreshToken, stdout + stderr, StringComparison.Ordinal);

        // A refresh token the endpoint refuses: a clear error that does not quote it.
        const string Stale = "fp-refresh-stale-0123456789";
        Login(Stale);
        (code, stdout, stderr) = Run(env, "measure", "-q", "--no-cache", $"{token.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Contains("refused the identity token (HTTP 400)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Stale, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_send_a_given_bearer_token_as_is_and_say_when_the_registry_refuses_it()
    {
        using var issuer = new TokenIssuer(_dir.Path, User, Password);
        using var token = new LocalRegistry(registry.Storage, issuer.RegistryAuthSection);
        var bearer = issuer.PullToken("debian");
        var asked = issuer.Front.Requests.Count;
        var pulled = Load.Measure($"{token.Host}/debian:minbase", WithToken(bearer));
        Assert.True(pulled.LayersVerified);
        Assert.Equal(registry.LayoutReport("minbase").Installed.ApparentBytes, pulled.Installed.ApparentBytes);
        // The token went straight to the registry: the token endpoint was not asked again.
        Assert.Equal(asked, issuer.Front.Requests.Count);

        // A token for another repository: the registry answers 401 (insufficient scope), which is final.
        var other = issuer.PullToken("alpine");
        var e = Assert.Throws<RegistryException>(() => Load.Measure($"{token.Host}/debian:minbase", WithToken(other)));
        Assert.Contains("refused the Bearer token it was given (HTTP 401)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Split('.')[1], e.ToString(), StringComparison.Ordinal);
    }

    private static MeasureOptions WithToken(string token)
        => new() { Registry = new RegistryOptions { BearerToken = new RegistryBearerToken(token), DockerConfigPath = "/nonexistent/docker-config.json" } };

    [Fact]
    public void Should_not_speak_plain_http_to_a_registry_not_on_this_machine()
    {
        // A loopback registry that redirects its manifest to a plain-HTTP host elsewhere: refused before connecting.
        using var redirecting = new HttpFront(c =>
        {
            c.Response.StatusCode = 307;
            c.Response.AddHeader("Location", "http://192.0.2.1/v2/x/manifests/1");
            c.Response.Close();
            return Task.CompletedTask;
        });
        var (code, _, stderr) = Run(null, "measure", "-q", "--download-only", $"127.0.0.1:{redirecting.Port}/x:1");
        Assert.Equal(2, code);
        Assert.Contains("refusing to follow the registry to http://192.0.2.1", stderr, StringComparison.Ordinal);
    }

    private LocalRegistry BasicRegistry() => LocalRegistry.WithBasicAuth(registry.Storage, _dir.Path, User, Password);

    private (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string>? env, params string[] args)
        => FootprintProcess.Run(_dir.Path, env, args);

    /// <summary>Neither the password, nor the user name, nor their Basic encoding, anywhere in what footprint wrote.</summary>
    private static void AssertNoSecret(params string[] outputs)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        foreach (var text in outputs)
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(User, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        }
    }
}
