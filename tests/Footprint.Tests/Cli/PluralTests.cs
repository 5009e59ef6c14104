using Footprint.Cli.Rendering;

namespace Footprint.Tests.Cli;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "package", null, "0 packages")]
    [InlineData(1, "package", null, "1 package")]
    [InlineData(2, "layer", null, "2 layers")]
    [InlineData(1, "shared library", "shared libraries", "1 shared library")]
    [InlineData(3, "shared library", "shared libraries", "3 shared libraries")]
    [InlineData(12345, "file", null, "12,345 files")]
    public void Should_put_the_noun_in_the_right_number(long count, string one, string? many, string expected)
        => Assert.Equal(expected, Plural.Of(count, one, many));
}
