using Footprint.Measures.Running.Container;

namespace Footprint.Tests.Measures.Running.Container;

/// <summary>Ground truth: what `docker run --user` does with the same User and account files (docs of docker run; getent).</summary>
public sealed class ContainerUserTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
        + "odd:x:notanumber:1:bad:/x:/bin/sh\nnohome:x:1001:1002::\n";

    private const string Group = "root:x:0:\nwww-data:x:33:\nstaff:x:50:\n";

    [Theory]
    [InlineData("", 0, 0, "/root")]
    [InlineData("  ", 0, 0, "/root")]
    [InlineData("www-data", 33, 33, "/var/www")]
    [InlineData("www-data:staff", 33, 50, "/var/www")]
    [InlineData("33", 33, 33, "/var/www")]
    [InlineData("4000", 4000, 0, "/")]
    [InlineData("4000:77", 4000, 77, "/")]
    [InlineData("nohome", 1001, 1002, "/")]
    [InlineData("nohome:ghosts", 1001, ContainerUser.Nobody, "/")]
    [InlineData("odd", ContainerUser.Nobody, ContainerUser.Nobody, "/")]
    [InlineData("ghost", ContainerUser.Nobody, ContainerUser.Nobody, "/")]
    [InlineData("www-data:ghosts", 33, ContainerUser.Nobody, "/var/www")]
    [InlineData("99999999999", ContainerUser.Nobody, ContainerUser.Nobody, "/")]
    public void Should_resolve_the_user_as_docker_does(string user, int uid, int gid, string home)
    {
        var resolved = ContainerUser.Resolve(user, Passwd, Group);
        Assert.Equal((uid, gid, home), (resolved.Uid, resolved.Gid, resolved.Home));
        Assert.Contains(user.Trim().Length == 0 ? "root" : user.Trim(), resolved.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_run_a_named_user_as_nobody_when_the_image_has_no_passwd()
    {
        Assert.Equal((0, 0, "/root"), Tuple(ContainerUser.Resolve(null, null, null)));
        Assert.Equal((ContainerUser.Nobody, ContainerUser.Nobody, "/"), Tuple(ContainerUser.Resolve("app", null, null)));
        Assert.Equal((12, 0, "/"), Tuple(ContainerUser.Resolve("12", null, null)));
    }

    private static (int, int, string) Tuple(ContainerUser.Resolved r) => (r.Uid, r.Gid, r.Home);
}
