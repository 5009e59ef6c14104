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

    [Theory]
    [InlineData("usr/bin/env")]
    [InlineData("a")]
    [InlineData("")]
    public void Should_return_a_normal_name_itself(string name) => Assert.Same(name, ImagePath.Normalize(name));

    [Theory]
    [InlineData(ImagePath.MaxComponents, false)]
    [InlineData(ImagePath.MaxComponents + 1, true)]
    public void Should_limit_the_number_of_components(int components, bool exceeds)
        => Assert.Equal(exceeds, ImagePath.ExceedsLimits(string.Join('/', Enumerable.Repeat("a", components))) is not null);

    [Theory]
    [InlineData(ImagePath.MaxPathBytes, false)]
    [InlineData(ImagePath.MaxPathBytes + 1, true)]
    public void Should_limit_the_length_in_bytes(int bytes, bool exceeds)
        => Assert.Equal(exceeds, ImagePath.ExceedsLimits(new string('x', bytes)) is not null);

    [Fact]
    public void Should_cut_long_names_short_for_warnings()
    {
        Assert.Equal("short", ImagePath.Abbreviate("short"));
        Assert.Equal(new string('x', 120) + "... (5000 characters)", ImagePath.Abbreviate(new string('x', 5000)));
    }
}
