using Footprint.FileSystem;

namespace Footprint.Tests.FileSystem;

public sealed class ImagePathTests
{
    [Theory]
    [InlineData("./usr/bin/env", "usr/bin/env")]
    [InlineData("/etc//passwd", "etc/passwd")]
    [InlineData("a/./b/../c", "a/c")]
    [InlineData("./", "")]
    [InlineData("dir/", "dir")]
    public void Should_normalize(string name, string expected) => Assert.Equal(expected, ImagePath.Normalize(name));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("./../x")]
    public void Should_reject_names_that_climb_out(string name) => Assert.Null(ImagePath.Normalize(name));

    [Theory]
    [InlineData("..foo/bar", "..foo/bar")]
    [InlineData("a/..b", "a/..b")]
    public void Should_not_mistake_dotted_names_for_parent_references(string name, string expected)
        => Assert.Equal(expected, ImagePath.Normalize(name));
}
