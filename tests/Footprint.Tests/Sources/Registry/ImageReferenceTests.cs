using Footprint.Sources;
using Footprint.Sources.Registry;

namespace Footprint.Tests.Sources.Registry;

/// <summary>References normalised as Docker does (distribution/reference), and which arguments are references at all.</summary>
public sealed class ImageReferenceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "registry-1.docker.io")]
    [InlineData("alpine", "docker.io", "library/alpine", "latest", null, "registry-1.docker.io")]
    [InlineData("docker://alpine", "docker.io", "library/alpine", "latest", null, "registry-1.docker.io")]
    [InlineData("team/app:1", "docker.io", "team/app", "1", null, "registry-1.docker.io")]
    [InlineData("index.docker.io/library/alpine:3", "docker.io", "library/alpine", "3", null, "registry-1.docker.io")]
    [InlineData("docker.io/library/alpine@sha256:" + Sha, "docker.io", "library/alpine", null, "sha256:" + Sha, "registry-1.docker.io")]
    [InlineData("registry.example:5000/team/app:1", "registry.example:5000", "team/app", "1", null, "registry.example:5000")]
    [InlineData("localhost:5000/x:tag", "localhost:5000", "x", "tag", null, "localhost:5000")]
    [InlineData("localhost/x", "localhost", "x", "latest", null, "localhost")]
    [InlineData("docker://127.0.0.1:5000/a/b/c:v1.2_rc-3", "127.0.0.1:5000", "a/b/c", "v1.2_rc-3", null, "127.0.0.1:5000")]
    [InlineData("ghcr.io/o/r:t@sha256:" + Sha, "ghcr.io", "o/r", "t", "sha256:" + Sha, "ghcr.io")]
    public void Should_normalise_like_docker(string text, string registry, string repository, string? tag, string? digest, string apiHost)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(registry, r.Registry);
        Assert.Equal(repository, r.Repository);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digest, r.Digest);
        Assert.Equal(apiHost, r.ApiHost);
        Assert.Equal(digest ?? tag, r.ManifestReference);
    }

    [Theory]
    [InlineData("Alpine/App:1")]
    [InlineData("alpine:3.20:x")]
    [InlineData("alpine@sha256:abc")]
    [InlineData("alpine@sha256:" + Sha + "0")]
    [InlineData("alpine@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("alpine:-tag")]
    [InlineData("")]
    [InlineData("docker://")]
    [InlineData("a//b:1")]
    [InlineData("host:5000/:1")]
    public void Should_refuse_what_is_no_reference(string text) => Assert.Null(ImageReference.TryParse(text));

    [Fact]
    public void Should_refuse_names_longer_than_docker_allows()
    {
        Assert.NotNull(ImageReference.TryParse("r.example/" + new string('a', 240) + ":1"));
        Assert.Null(ImageReference.TryParse("r.example/" + new string('a', 250) + ":1"));
    }

    [Theory]
    [InlineData("localhost:5000/x:1", true)]
    [InlineData("127.0.0.1:5000/x:1", true)]
    [InlineData("127.1.2.3/x:1", true)]
    [InlineData("[::1]:5000/x:1", true)]
    [InlineData("registry.example:5000/x:1", false)]
    [InlineData("localhost.example/x:1", false)]
    public void Should_know_loopback_registries(string text, bool loopback) => Assert.Equal(loopback, ImageReference.Parse(text).IsLoopback);

    [Theory]
    [InlineData("alpine:3.20", true)]
    [InlineData("localhost:5000/x:tag", true)]
    [InlineData("registry.example:5000/team/app@sha256:" + Sha, true)]
    [InlineData("alpine", false)]
    [InlineData("./x", false)]
    [InlineData("./alpine:3.20", false)]
    [InlineData("/x", false)]
    [InlineData("/tmp/x.tar", false)]
    [InlineData("x.tar", false)]
    [InlineData("x.tar:tag", false)]
    [InlineData("images/rootfs.tar.gz:1", false)]
    [InlineData("live.iso:1", false)]
    [InlineData("~/x:1", false)]
    public void Should_take_only_non_path_like_text_for_a_reference(string text, bool expected)
        => Assert.Equal(expected, ArtifactOpener.LooksLikeImageReference(text));

    [Fact]
    public void Should_print_the_canonical_form()
        => Assert.Equal("docker.io/library/alpine:3.20", ImageReference.Parse("alpine:3.20").ToString());
}
