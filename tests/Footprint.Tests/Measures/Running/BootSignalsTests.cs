using Footprint.Measures.Running;

namespace Footprint.Tests.Measures.Running;

/// <summary>Ground truth: the kernel's own message texts (init/main.c, init/initramfs.c, kernel/panic.c, mm/oom_kill.c) and prompts seen on real media.</summary>
public sealed class BootSignalsTests
{
    [Theory]
    [InlineData("[    1.2] Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.", BootOutcome.NoInit)]
    [InlineData("Initramfs unpacking failed: junk in compressed archive\nKernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)", BootOutcome.InitramfsError)]
    [InlineData("sh invoked oom-killer: gfp_mask=0x140cca\nKernel panic - not syncing: System is deadlocked on memory", BootOutcome.Oom)]
    [InlineData("Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009", BootOutcome.Panic)]
    [InlineData("You are in emergency mode. After logging in, type \"journalctl -xb\"", BootOutcome.RescueShell)]
    [InlineData("(initramfs) ", BootOutcome.RescueShell)]
    public void Should_classify_failures(string console, BootOutcome expected)
    {
        Assert.Equal(expected, BootSignals.Failure(console));
    }

    [Theory]
    [InlineData("Run /init as init process\nAboriginal Linux 1.4.2\nType exit when done.")]
    [InlineData("Freeing unused kernel image (initmem) memory: 1048K")]
    public void Should_not_call_a_normal_boot_a_failure(string console)
    {
        Assert.Null(BootSignals.Failure(console));
    }

    [Theory]
    [InlineData("(:1) / $ ", true)]
    [InlineData("/ # ", true)]
    [InlineData("tc@box:~$ ", true)]
    [InlineData("buildroot login: ", true)]
    [InlineData("#", true)]
    [InlineData("Run /init as init process", false)]
    [InlineData("_______CHOOSE:", false)]
    [InlineData("", false)]
    public void Should_recognise_prompts(string line, bool prompt)
    {
        Assert.Equal(prompt, BootSignals.IsPrompt(line));
    }

    [Theory]
    [InlineData("Please press Enter to activate this console. ", "busybox-askfirst", "\n")]
    [InlineData("_______CHOOSE:", "floppinux", "c\n")]
    [InlineData("buildroot login: ", "root-login", "root\n")]
    public void Should_answer_known_questions(string line, string profile, string keys)
    {
        Assert.Equal((profile, keys), BootSignals.Answer(line));
    }

    [Fact]
    public void Should_read_the_kernel_version_banner()
    {
        Assert.Equal("6.1.0-57-amd64", BootSignals.KernelVersion("x\nLinux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) (gcc-12)\n"));
    }
}
