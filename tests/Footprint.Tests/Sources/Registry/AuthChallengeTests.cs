using Footprint.Sources.Registry;

namespace Footprint.Tests.Sources.Registry;

/// <summary>WWW-Authenticate challenges as registries send them (RFC 9110 section 11.6.1; distribution's token spec).</summary>
public sealed class AuthChallengeTests
{
    [Fact]
    public void Should_read_a_bearer_challenge()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.docker.io/token", c.Realm);
        Assert.Equal("registry.docker.io", c.Service);
        Assert.Equal("repository:library/alpine:pull", c.Scope);
    }

    [Fact]
    public void Should_read_several_challenges_tokens_and_escapes()
    {
        var all = AuthChallenge.Parse("Basic realm=\"a \\\"quoted\\\" realm\", Bearer REALM=\"https://t.example/token\" , service=svc,error=invalid_token");
        Assert.Equal(2, all.Count);
        Assert.True(all[0].IsBasic);
        Assert.Equal("a \"quoted\" realm", all[0].Realm);
        Assert.True(all[1].IsBearer);
        Assert.Equal("https://t.example/token", all[1].Realm);
        Assert.Equal("svc", all[1].Service);
        Assert.Equal("invalid_token", all[1].Parameters["error"]);
        Assert.Null(all[1].Scope);
    }

    [Fact]
    public void Should_read_a_scheme_without_parameters() => Assert.Equal("Negotiate", Assert.Single(AuthChallenge.Parse("Negotiate")).Scheme);

    [Theory]
    [InlineData("Bearer realm=\"unterminated")]
    [InlineData("Bearer realm=\"x\" service=\"y\"")]
    [InlineData("=x")]
    [InlineData("Bearer realm=\"x\",\"y\"")]
    public void Should_refuse_malformed_headers(string header) => Assert.Throws<FormatException>(() => AuthChallenge.Parse(header));

    [Fact]
    public void Should_refuse_huge_headers_without_quoting_them()
    {
        var e = Assert.Throws<FormatException>(() => AuthChallenge.Parse("Bearer realm=\"" + new string('s', AuthChallenge.MaxHeaderLength) + "\""));
        Assert.DoesNotContain("sss", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_too_many_parameters()
        => Assert.Throws<FormatException>(() => AuthChallenge.Parse("Bearer " + string.Join(',', Enumerable.Range(0, AuthChallenge.MaxItems + 1).Select(i => $"p{i}=v"))));
}
