using System.Text.RegularExpressions;

namespace Footprint.Measures.Running;

/// <summary>
/// What the console says about a boot. Failure patterns end a boot early (the kernel's own messages: init/main.c
/// "No working init found", init/initramfs.c "Initramfs unpacking failed" and "junk in compressed archive",
/// kernel/panic.c "Kernel panic - not syncing", mm/oom_kill.c "invoked oom-killer"/"Out of memory"); emergency and
/// rescue shells (systemd, initramfs-tools' "(initramfs)" prompt, sulogin) are prompts that are not success; a prompt
/// is the last console line ending in a shell prompt character ("# ", "$ ", "> ") or "login:". Per-distro profiles
/// answer the questions some systems ask before their shell (busybox init's askfirst "Please press Enter",
/// FLOPPINUX's menu, a root login without password on Buildroot-style systems).
/// </summary>
public static partial class BootSignals
{
    /// <summary>The failure the console shows, the most specific first; null while none.</summary>
    public static BootOutcome? Failure(string text)
    {
        if (OomPattern().IsMatch(text))
        {
            return BootOutcome.Oom;
        }

        if (InitramfsPattern().IsMatch(text))
        {
            return BootOutcome.InitramfsError;
        }

        if (text.Contains("No working init found", StringComparison.Ordinal) || text.Contains("No init found", StringComparison.Ordinal))
        {
            return BootOutcome.NoInit;
        }

        if (text.Contains("Kernel panic - not syncing", StringComparison.Ordinal))
        {
            return BootOutcome.Panic;
        }

        if (RescuePattern().IsMatch(text))
        {
            return BootOutcome.RescueShell;
        }

        return null;
    }

    /// <summary>The first console line that shows a failure, or null.</summary>
    public static string? FailureLine(string text)
        => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && Failure(l) is not null);

    /// <summary>Whether the last line of the console is a prompt: a shell's, or a login prompt.</summary>
    public static bool IsPrompt(string lastLine) => PromptPattern().IsMatch(lastLine) || IsLoginPrompt(lastLine);

    public static bool IsLoginPrompt(string lastLine) => LoginPattern().IsMatch(lastLine);

    public static bool IsPasswordPrompt(string lastLine) => lastLine.TrimEnd().EndsWith("assword:", StringComparison.Ordinal);

    /// <summary>
    /// What to type when the console's last line asks a question a profile knows, or null. Each answer is typed at
    /// most once per boot by the caller.
    /// </summary>
    public static (string Profile, string Keys)? Answer(string lastLine)
    {
        if (lastLine.Contains("Please press Enter to activate this console", StringComparison.Ordinal))
        {
            return ("busybox-askfirst", "\n");
        }

        if (lastLine.TrimEnd().EndsWith("_______CHOOSE:", StringComparison.Ordinal))
        {
            // FLOPPINUX's menu: "[c] <- COMMAND_PROMPT".
            return ("floppinux", "c\n");
        }

        if (IsLoginPrompt(lastLine))
        {
            return ("root-login", "root\n");
        }

        return null;
    }

    /// <summary>The "Linux version X" banner's X, or null.</summary>
    public static string? KernelVersion(string text)
    {
        var m = VersionPattern().Match(text);
        return m.Success ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"invoked oom-killer|Out of memory|out of memory|Kernel panic - not syncing: System is deadlocked on memory|Unable to allocate")]
    private static partial Regex OomPattern();

    [GeneratedRegex(@"Initramfs unpacking failed|junk in compressed archive|invalid magic at start of compressed archive|decompressor failed|VFS: Unable to mount root fs|broken padding|Could not decompress initramfs|incomplete write")]
    private static partial Regex InitramfsPattern();

    [GeneratedRegex(@"emergency mode|Emergency mode|rescue mode|Give root password for maintenance|^\(initramfs\) ?$|Dropping to a shell|Welcome to emergency", RegexOptions.Multiline)]
    private static partial Regex RescuePattern();

    [GeneratedRegex(@"\S.{0,80}[#$>%] ?$|^[#$] ?$")]
    private static partial Regex PromptPattern();

    [GeneratedRegex(@"login: ?$")]
    private static partial Regex LoginPattern();

    [GeneratedRegex(@"Linux version (\S+)")]
    private static partial Regex VersionPattern();
}
