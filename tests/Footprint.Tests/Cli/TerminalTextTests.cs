using Footprint.Cli.Rendering;

namespace Footprint.Tests.Cli;

public sealed class TerminalTextTests
{
    public sealed class Escape
    {
        [Theory]
        [InlineData("plain/path-1.0_x86", "plain/path-1.0_x86")]
        [InlineData("a\nb", @"a\nb")]
        [InlineData("a\rb", @"a\rb")]
        [InlineData("a\tb", @"a\tb")]
        [InlineData("\u001b[31mred", @"\e[31mred")]
        [InlineData("bell\u0007", @"bell\a")]
        [InlineData("nul\0", @"nul\x00")]
        [InlineData("del\u007f", @"del\x7f")]
        [InlineData("csi\u009b31m", @"csi\x9b31m")]
        [InlineData("exe\u202etxt", @"exe\u202etxt")]
        [InlineData("\u2066iso\u2069", @"\u2066iso\u2069")]
        [InlineData("\u200e\u200f\u061c", @"\u200e\u200f\u061c")]
        [InlineData("back\\slash", @"back\\slash")]
        [InlineData("line\u2028sep", @"line\u2028sep")]
        [InlineData("caf\u00e9 \u4e2d \U0001F600", "caf\u00e9 \u4e2d \U0001F600")]
        public void Should_show_controls_as_escapes_and_keep_printable_text(string raw, string shown)
            => Assert.Equal(shown, TerminalText.Escape(raw));

        [Fact]
        public void Should_return_the_same_string_when_nothing_needs_escaping()
        {
            var s = "/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0";
            Assert.Same(s, TerminalText.Escape(s));
        }

        [Fact]
        public void Should_escape_a_lone_surrogate()
            => Assert.Equal(@"lone\ud800x", TerminalText.Escape("lone" + (char)0xD800 + "x")); // built in code: test data serialisation would replace it

        [Fact]
        public void Should_map_null_to_empty() => Assert.Equal(string.Empty, TerminalText.Escape(null));
    }

    public sealed class Cell
    {
        [Fact]
        public void Should_escape_markup_after_controls()
            => Assert.Equal(@"[[bold]]x\e[[31m", TerminalText.Cell("[bold]x\u001b[31m"));
    }
}
