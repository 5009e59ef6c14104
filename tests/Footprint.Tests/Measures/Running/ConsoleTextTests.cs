using System.Text;
using Footprint.Measures.Running;

namespace Footprint.Tests.Measures.Running;

public sealed class ConsoleTextTests
{
    [Fact]
    public void Should_strip_escape_sequences_and_keep_the_prompt()
    {
        // What busybox ash printed on the busybox-linux-boot disk: the prompt, then a cursor position query.
        var bytes = Encoding.ASCII.GetBytes("Type exit when done.\r\n(:1) / $ \x1b[6n\x1b]0;title\x07\x1b(B\x1b[1;32mok\x1b[0m");
        Assert.Equal("Type exit when done.\n(:1) / $ ok", ConsoleText.Clean(bytes));
    }

    [Fact]
    public void Should_escape_control_and_non_ascii_bytes()
    {
        Assert.Equal("a\\x01b\\xc3\\xa9c", ConsoleText.Clean([(byte)'a', 1, (byte)'b', 0xc3, 0xa9, (byte)'c']));
    }

    [Fact]
    public void Should_apply_backspaces_within_a_line()
    {
        Assert.Equal("ab\nd", ConsoleText.Clean(Encoding.ASCII.GetBytes("abc\b\nx\bd")));
    }

    [Fact]
    public void Should_hold_back_an_escape_split_between_reads()
    {
        var log = new ConsoleLog(System.Diagnostics.Stopwatch.StartNew());
        log.Append(Encoding.ASCII.GetBytes("/ # \x1b["));
        log.Append(Encoding.ASCII.GetBytes("6nmore"));
        Assert.Equal("/ # more", log.Text);
    }

    [Fact]
    public void Should_keep_a_bounded_tail()
    {
        var log = new ConsoleLog(System.Diagnostics.Stopwatch.StartNew());
        var line = Encoding.ASCII.GetBytes(new string('x', 1000) + "\n");
        for (var i = 0; i < 400; i++)
        {
            log.Append(line);
        }

        Assert.Equal(ConsoleLog.MaxKeptChars, log.Text.Length);
        Assert.Equal(400 * 1001, log.Appended);
    }
}
