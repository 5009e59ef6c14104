using System.Text;
using System.Text.RegularExpressions;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;

namespace Footprint.Measures.Running;

/// <summary>
/// Where an init's logins run, from its /etc/inittab (BusyBox init and sysvinit: <c>id:runlevels:action:process</c>,
/// busybox's examples/inittab and inittab(5)). A login is a <c>respawn</c> or <c>askfirst</c> entry whose program is a
/// getty or a shell. Its terminal is BusyBox's id field when that names a tty (<c>tty1::respawn:...</c>; an empty id
/// is the console), else the getty's tty argument (sysvinit's <c>1:2345:respawn:/sbin/getty 38400 tty1</c>). Tiny
/// Core's only login is <c>tty1::respawn:/sbin/getty -nl /sbin/autologin 38400 tty1</c>: on the serial console such a
/// system shows the kernel's and rcS's messages and never a shell.
/// </summary>
public static partial class InitTab
{
    /// <summary>Longest inittab read; real ones are under 2 KiB.</summary>
    public const int MaxInittabBytes = 64 * 1024;

    /// <summary>
    /// The first login entry ("line 7: tty1::respawn:...") when every login of <paramref name="inittab"/> runs on a
    /// virtual terminal (tty1, tty2, ...); null when there is no login, or any runs on the console, a serial port or a
    /// terminal that cannot be told.
    /// </summary>
    public static string? OnlyVirtualTerminalLogins(string inittab)
    {
        string? first = null;
        var n = 0;
        foreach (var raw in inittab.Split('\n'))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(':', 4);
            if (fields.Length != 4 || fields[2].Trim() is not ("respawn" or "askfirst"))
            {
                continue;
            }

            var process = fields[3];
            var comment = process.IndexOf(" #", StringComparison.Ordinal);
            var words = (comment < 0 ? process : process[..comment]).TrimStart('-').Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !IsLogin(words[0]))
            {
                continue;
            }

            var id = fields[0].Trim();
            var terminal = IsTerminal(id) ? id
                : words.Skip(1).Select(w => w.StartsWith("/dev/", StringComparison.Ordinal) ? w[5..] : w).FirstOrDefault(IsTerminal)
                ?? (id.Length == 0 ? "console" : null);
            if (terminal is null || !VirtualTerminalPattern().IsMatch(terminal))
            {
                return null;
            }

            first ??= $"line {n}: {line}";
        }

        return first;
    }

    /// <summary>
    /// The last /etc/inittab of an initramfs (several archives, later ones replacing earlier files, as the kernel
    /// unpacks them), or null when it has none, it is a link, or the initramfs cannot be read to the end.
    /// </summary>
    public static string? Read(string initrd)
    {
        try
        {
            using var file = File.OpenRead(initrd);
            using var reader = new InitramfsReader(file, initrd, DecompressionLimits.Default);
            string? text = null;
            while (reader.GetNextEntry() is { } e)
            {
                if (e.Name.TrimStart('.', '/') != "etc/inittab")
                {
                    continue;
                }

                text = null;
                if (e.Kind == FileKind.Regular)
                {
                    using var data = reader.OpenData();
                    var buffer = new byte[MaxInittabBytes];
                    var got = data.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                    text = Encoding.UTF8.GetString(buffer, 0, got);
                }
            }

            return text;
        }
        catch (FootprintFormatException)
        {
            return null;
        }
    }

    private static bool IsLogin(string program)
    {
        var name = program[(program.LastIndexOf('/') + 1)..];
        return name.Contains("getty", StringComparison.Ordinal) || name is "sh" or "ash" or "bash" or "dash" or "hush" or "ksh" or "mksh" or "zsh" or "login";
    }

    private static bool IsTerminal(string word) => TerminalPattern().IsMatch(word);

    [GeneratedRegex(@"^(console|tty[A-Za-z]*[0-9]*|hvc[0-9]+|ttyAMA[0-9]+|ttyUSB[0-9]+)$")]
    private static partial Regex TerminalPattern();

    [GeneratedRegex(@"^tty[1-9][0-9]*$")]
    private static partial Regex VirtualTerminalPattern();
}
