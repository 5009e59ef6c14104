using Footprint.Cli.Commands;

namespace Footprint.Tests.Cli;

public sealed class SuggestionTests
{
    private static readonly string[] Commands = ["measure", "inventory", "sbom", "lint", "surface"];

    [Theory]
    [InlineData("mesure", "measure")]
    [InlineData("meausre", "measure")]
    [InlineData("inventroy", "inventory")]
    [InlineData("inv", "inventory")]
    [InlineData("sbon", "sbom")]
    [InlineData("lnt", "lint")]
    [InlineData("SURFACE", "surface")]
    public void Should_suggest_the_closest_command(string typed, string expected)
        => Assert.Equal(expected, Suggestion.Closest(typed, Commands));

    [Theory]
    [InlineData("deploy")]
    [InlineData("x")]
    [InlineData("")]
    public void Should_suggest_nothing_when_no_command_is_close(string typed)
        => Assert.Null(Suggestion.Closest(typed, Commands));

    [Fact]
    public void Should_suggest_an_option()
        => Assert.Equal("--format", Suggestion.Closest("--formt", ["--format", "--output", "-f", "-o", "--quiet"]));
}
