using Footprint.Reports.Html;

namespace Footprint.Tests.Reports.Html;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("a\"b'c&d", "a&quot;b&#39;c&amp;d")]
    [InlineData("esc\u001b[31m", "esc\\u{001B}[31m")]
    [InlineData("tab\there\nline", "tab\\u{0009}here\\u{000A}line")]
    [InlineData("\u202Egnp.exe", "\\u{202E}gnp.exe")]
    [InlineData("iso\u2066x\u2069", "iso\\u{2066}x\\u{2069}")]
    [InlineData("del\u007f c1\u0085", "del\\u{007F} c1\\u{0085}")]
    [InlineData("emoji \ud83d\ude00 ünï", "emoji \ud83d\ude00 ünï")]
    public void Should_encode_markup_and_make_disguising_characters_visible(string raw, string expected)
        => Assert.Equal(expected, HtmlText.Encode(raw));

    [Fact]
    public void Should_replace_a_lone_surrogate()
        => Assert.Equal("lone\uFFFDx\uFFFD", HtmlText.Encode(new string(['l', 'o', 'n', 'e', '\ud800', 'x', '\udc00'])));

    [Fact]
    public void Should_never_split_a_surrogate_pair_when_shortening()
    {
        Assert.Equal("ab…", HtmlText.Shorten("ab\ud83d\ude00cd", 4));
        Assert.Equal("ab\ud83d\ude00…", HtmlText.Shorten("ab\ud83d\ude00cd", 5));
        Assert.Equal("short", HtmlText.Shorten("short", 10));
    }
}
