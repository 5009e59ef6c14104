using System.Text.Json.Nodes;
using Footprint.Measures.Running.Container;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running.Container;

/// <summary>
/// Which artifacts `footprint boot` runs as containers: every kind the opener opens as an image (OCI layout directory
/// and archive, docker-archive, transport prefixes, a registry reference), and none of the ones with QEMU plans.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ContainerArtifactTests(RegistryFixture registry)
{
    [Theory]
    [InlineData("debian/oci")]
    [InlineData("debian/oci:minbase")]
    [InlineData("debian/minbase.docker.tar")]
    [InlineData("debian/two.oci.tar")]
    [InlineData("scratch-busybox/docker.tar")]
    [InlineData("nginx/oci:latest")]
    public void Should_take_an_image_for_a_container(string fixture)
    {
        Assert.True(ContainerArtifact.IsImage(Repo.Fixture(fixture.Split(':')[0]) + (fixture.Contains(':', StringComparison.Ordinal) ? ":" + fixture.Split(':')[1] : "")));
        Assert.True(ContainerArtifact.IsImage("docker-archive:" + Repo.Fixture("scratch-busybox/docker.tar")));
    }

    [Theory]
    [InlineData("debian/rootfs.tar")]
    [InlineData("nginx/rootfs.tar")]
    [InlineData("iso/eltorito.iso")]
    [InlineData("kernel/vmlinuz")]
    public void Should_leave_a_rootfs_medium_or_kernel_to_qemu(string fixture)
        => Assert.False(ContainerArtifact.IsImage(Repo.Fixture(fixture)));

    [Fact]
    public void Should_leave_corpus_media_and_missing_files_to_qemu()
    {
        Assert.False(ContainerArtifact.IsImage(Repo.CorpusFile("images/floppinux/floppinux.img")));
        Assert.False(ContainerArtifact.IsImage(Repo.CorpusFile("images/buildroot-tp/rootfs.cpio.xz")));
        Assert.False(ContainerArtifact.IsImage("missing-live.iso"));
        Assert.False(ContainerArtifact.IsImage("./missing"));
        Assert.True(ContainerArtifact.IsImage("example.invalid/team/app:1"));
    }

    [Fact]
    public void Should_run_an_image_pulled_from_a_registry()
    {
        using var home = new TempDir();
        var tmp = Directory.CreateDirectory(home.File("tmp")).FullName;
        var environment = new Dictionary<string, string> { ["TMPDIR"] = tmp, ["DOTNET_EnableDiagnostics"] = "0" };
        var (code, stdout, stderr) = FootprintProcess.Run(home.Path, environment, "boot", $"{registry.Host}/debian:minbase", "--settle", "1", "-f", "json");

        // Debian's Cmd is bash, which reads end of file on its closed standard input and exits 0.
        Assert.True(code == 1, stderr + stdout);
        Assert.Empty(Schemas.Errors(Schemas.Boot, stdout));
        var c = JsonNode.Parse(stdout)!["container"]!;
        Assert.Equal("registry", c["imageKind"]!.GetValue<string>());
        Assert.Equal("exited", c["outcome"]!.GetValue<string>());
        Assert.Equal(0, c["exitCode"]!.GetValue<int>());
        Assert.Equal("/usr/bin/bash", c["executable"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));

        // The two-platform alpine index resolves to its amd64 image, whose config has no Cmd.
        (code, stdout, stderr) = FootprintProcess.Run(home.Path, environment, "boot", $"{registry.Host}/alpine:3.20", "-f", "json");
        Assert.True(code == 1, stderr + stdout);
        Assert.Equal("no-entrypoint", JsonNode.Parse(stdout)!["container"]!["outcome"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
    }
}
