using System.Diagnostics;
using System.Globalization;
using System.Text;
using Footprint.Formats;
using Footprint.Formats.Squashfs;

namespace Footprint.Tests.Formats.Squashfs;

/// <summary>
/// Renders a <see cref="SquashfsReader"/> walk the way <c>unsquashfs -lln</c> (squashfs-tools 4.5) prints it, and runs
/// the real tool (in UTC: it prints local time) for comparison.
/// </summary>
internal static class UnsquashfsListing
{
    /// <summary>unsquashfs pads "uid/gid" and the size column to this many characters together.</summary>
    private const int TotalChars = 25;

    public static void RequireSquashfsTools()
    {
        if (!File.Exists("/usr/bin/mksquashfs") || !File.Exists("/usr/bin/unsquashfs"))
        {
            Assert.Fail("mksquashfs/unsquashfs are required by this test: apt-get install -y squashfs-tools");
        }
    }

    public static string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("unsquashfs")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["TZ"] = "UTC";
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start unsquashfs (apt-get install squashfs-tools)");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Assert.Fail($"unsquashfs {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }

        return stdout;
    }

    /// <summary>Lists the image with our reader, in unsquashfs -lln's format (hard links shown as the file they name).</summary>
    public static string Format(SquashfsReader reader)
    {
        var sb = new StringBuilder();
        var byName = new Dictionary<string, (FileEntry Entry, long Size)>(StringComparer.Ordinal);
        bool first = true;
        while (reader.GetNextEntry() is { } e)
        {
            if (first)
            {
                FileEntry root = reader.Root!;
                Line(sb, root, reader.RootDirectorySizeBytes, "squashfs-root");
                first = false;
            }

            FileEntry shown = e;
            long size = e.Kind switch
            {
                FileKind.Directory => reader.CurrentDirectorySizeBytes,
                FileKind.Symlink => Encoding.UTF8.GetByteCount(e.LinkTarget!),
                _ => e.SizeBytes,
            };
            if (e.Kind == FileKind.HardLink)
            {
                (shown, size) = byName[e.LinkTarget!];
            }

            byName[e.Name] = (shown, size);
            Line(sb, shown, size, "squashfs-root/" + e.Name);
        }

        if (first)
        {
            Line(sb, reader.Root!, reader.RootDirectorySizeBytes, "squashfs-root");
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, FileEntry e, long size, string path)
    {
        string uid = e.Uid.ToString(CultureInfo.InvariantCulture);
        string gid = e.Gid.ToString(CultureInfo.InvariantCulture);
        int pad = TotalChars - uid.Length - gid.Length;
        sb.Append(ModeString(e)).Append(' ').Append(uid).Append('/').Append(gid).Append(' ');
        if (e.Kind is FileKind.CharDevice or FileKind.BlockDevice)
        {
            // unsquashfs prints the raw rdev word as (rdev >> 8, rdev & 0xff): re-encode it like Linux's new_encode_dev.
            long rdev = (uint)(e.DeviceMinor & 0xFF) | ((uint)e.DeviceMajor << 8) | ((uint)(e.DeviceMinor & ~0xFF) << 12);
            sb.Append(new string(' ', pad > 7 ? pad - 7 : 0))
                .Append((rdev >> 8).ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(',')
                .Append((rdev & 0xFF).ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(' ');
        }
        else
        {
            long shownSize = e.Kind is FileKind.Fifo or FileKind.Socket ? 0 : size;
            sb.Append(shownSize.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(pad, 0))).Append(' ');
        }

        DateTime t = e.ModificationTime.UtcDateTime;
        sb.Append(CultureInfo.InvariantCulture, $"{t.Year}-{t.Month:00}-{t.Day:00} {t.Hour:00}:{t.Minute:00} ").Append(path);
        if (e.Kind == FileKind.Symlink)
        {
            sb.Append(" -> ").Append(e.LinkTarget);
        }

        sb.Append('\n');
    }

    public static string ModeString(FileEntry e)
    {
        char type = e.Kind switch
        {
            FileKind.Directory => 'd',
            FileKind.Symlink => 'l',
            FileKind.CharDevice => 'c',
            FileKind.BlockDevice => 'b',
            FileKind.Fifo => 'p',
            FileKind.Socket => 's',
            _ => '-',
        };
        int m = e.Mode;
        char[] s = [type, R(m, 0x100), W(m, 0x80), X(m, 0x40, 0x800, 's'), R(m, 0x20), W(m, 0x10), X(m, 0x8, 0x400, 's'), R(m, 0x4), W(m, 0x2), X(m, 0x1, 0x200, 't')];
        return new string(s);

        static char R(int m, int bit) => (m & bit) != 0 ? 'r' : '-';
        static char W(int m, int bit) => (m & bit) != 0 ? 'w' : '-';
        static char X(int m, int bit, int special, char c) => ((m & bit) != 0, (m & special) != 0) switch
        {
            (true, true) => c,
            (false, true) => char.ToUpperInvariant(c),
            (true, false) => 'x',
            _ => '-',
        };
    }
}
