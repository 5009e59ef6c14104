using Footprint.Measures.Running;

namespace Footprint.Tests.Measures.Running;

public sealed class MemInfoProbeTests
{
    [Fact]
    public void Should_parse_the_answer_and_not_the_typed_command()
    {
        var console = "/ # " + MemInfoProbe.Command.TrimEnd('\n') + "\nFPMEM MemTotal:120000 MemFree:100000 MemAvailable:110000 Buffers:0 Cached:5000 Active(anon):12 Shmem:4000 SReclaimable:300 FPEND\n/ # ";
        var m = MemInfoProbe.Parse(console, 128)!;
        Assert.Equal(120000, m.MemTotalKiB);
        Assert.Equal(10000, m.UsedKiB);
        Assert.Equal(300, m.SReclaimableKiB);
        Assert.Equal(128, m.MachineMiB);
        Assert.Null(m.Note);
    }

    [Fact]
    public void Should_wait_for_an_answer_and_join_wrapped_screen_rows()
    {
        Assert.Null(MemInfoProbe.Parse("/ # " + MemInfoProbe.Command, 64));
        var wrapped = "FPMEM MemTotal:50000 MemFree:40000\n Buffers:1 Cached:2 FPEND";
        var m = MemInfoProbe.Parse(wrapped, 64)!;
        Assert.Equal(1, m.BuffersKiB);
        Assert.Null(m.UsedKiB);
        Assert.Contains("MemAvailable is absent", m.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_count_empty_answers_but_not_the_typed_command()
    {
        Assert.Equal(0, MemInfoProbe.EmptyAnswers("# " + MemInfoProbe.Command));
        Assert.Equal(2, MemInfoProbe.EmptyAnswers("/bin/sh: can't open /proc/meminfo\nFPMEM FPEND\n# x\nFPMEM\n FPEND\n"));
    }

    [Fact]
    public void Should_parse_proc_meminfo_text()
    {
        var m = MemInfoProbe.ParseMeminfo("MemTotal:         228000 kB\nMemFree:          200000 kB\nMemAvailable:     210000 kB\nActive(anon):  1 kB\n", 256)!;
        Assert.Equal(18000, m.UsedKiB);
    }

    [Fact]
    public void Should_use_shell_builtins_only()
    {
        // No program is started: while, read, case, echo are builtins of every shell the guests run (busybox ash, dash, bash).
        var words = MemInfoProbe.Command.Split([' ', ';', '<', '\n', '|', ')'], StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(words, w => w is "cat" or "grep" or "awk" or "sed" or "free" or "head");
    }
}
