using Footprint.Cli.Rendering;

namespace Footprint.Tests.Cli;

public sealed class OutputConsoleTests
{
    [Theory]
    [InlineData(null, true, null)]
    [InlineData(null, false, OutputConsole.UnlimitedWidth)]
    [InlineData("", false, OutputConsole.UnlimitedWidth)]
    [InlineData("200", false, 200)]
    [InlineData("200", true, 200)]
    [InlineData("0", false, OutputConsole.UnlimitedWidth)]
    [InlineData("-5", true, null)]
    [InlineData("wide", false, OutputConsole.UnlimitedWidth)]
    [InlineData("99999999999", false, OutputConsole.UnlimitedWidth)]
    public void Should_honour_COLUMNS_and_never_wrap_when_not_a_terminal(string? columns, bool isTerminal, int? expected)
        => Assert.Equal(expected, OutputConsole.Width(columns, isTerminal));
}
