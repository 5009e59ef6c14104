using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Footprint.Formats;
using Footprint.Formats.Cpio;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Cpio;

/// <summary>
/// Ground truth from GNU cpio: `cpio -itv --numeric-uid-gid` listings (TZ=UTC) and `cpio -idm` extractions, and the
/// same listing rendered from a reader's entries, so the two can be compared line by line.
/// </summary>
internal static partial class CpioTruth
{
    /// <summary>One archive's entries as cpio -tv lines (whitespace collapsed), plus SHA-256 of regular files by name.</summary>
    public sealed record Listing(List<string> Lines, Dictionary<string, string> Hashes);

    /// <summary>cpio's listing of <paramref name="archive"/>, without the root entry, names normalised as the reader does.</summary>
    public static List<string> CpioLines(string archive)
    {
        string output = Tool.Shell($"TZ=UTC cpio --quiet -itv --numeric-uid-gid < '{archive}'");
        var lines = new List<string>();
        foreach (string raw in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string line = Spaces().Replace(raw.Trim(), " ");
            Match m = LineShape().Match(line);
            Assert.True(m.Success, $"unexpected cpio line: {raw}");
            string name = CpioReader.Normalize(m.Groups["name"].Value);
            if (name.Length == 0)
            {
                continue;
            }

            lines.Add(m.Groups["head"].Value + " " + name + m.Groups["link"].Value);
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>SHA-256 of every regular file that `cpio -idm` extracts from <paramref name="archive"/>, by relative path.</summary>
    public static Dictionary<string, string> CpioHashes(string archive)
    {
        using var dir = new TestSupport.TempDir();
        Tool.Shell($"cd '{dir.Path}' && cpio --quiet -idm --no-absolute-filenames < '{archive}'");
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        string sums = Tool.Shell($"cd '{dir.Path}' && find . -type f -print0 | xargs -0 -r sha256sum");
        foreach (string line in sums.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<64 hex>  ./path"
            hashes[CpioReader.Normalize(line[66..])] = line[..64].ToUpperInvariant();
        }

        return hashes;
    }

    /// <summary>The listing cpio would print for entries read by a reader (links and filesize from the header).</summary>
    public static string Line(FileEntry e, long links, long headerFileSize, FileKind kindForMode, long now)
    {
        var sb = new StringBuilder();
        sb.Append(kindForMode switch
        {
            FileKind.Directory => 'd',
            FileKind.Symlink => 'l',
            FileKind.CharDevice => 'c',
            FileKind.BlockDevice => 'b',
            FileKind.Fifo => 'p',
            FileKind.Socket => 's',
            _ => '-',
        });
        int m = e.Mode;
        sb.Append((m & 0x100) != 0 ? 'r' : '-').Append((m & 0x80) != 0 ? 'w' : '-');
        sb.Append(Exec(m & 0x40, m & 0x800, 's'));
        sb.Append((m & 0x20) != 0 ? 'r' : '-').Append((m & 0x10) != 0 ? 'w' : '-');
        sb.Append(Exec(m & 0x8, m & 0x400, 's'));
        sb.Append((m & 0x4) != 0 ? 'r' : '-').Append((m & 0x2) != 0 ? 'w' : '-');
        sb.Append(Exec(m & 0x1, m & 0x200, 't'));
        sb.Append(' ').Append(links).Append(' ').Append(e.Uid).Append(' ').Append(e.Gid).Append(' ');
        sb.Append(kindForMode is FileKind.CharDevice or FileKind.BlockDevice ? $"{e.DeviceMajor}, {e.DeviceMinor}" : headerFileSize.ToString(CultureInfo.InvariantCulture));
        long t = e.ModificationTime.ToUnixTimeSeconds();
        DateTime utc = e.ModificationTime.UtcDateTime;
        // GNU cpio (src/util.c long_format): the year instead of the time for entries over 6 months old or in the future
        string when = now - t > 6L * 30 * 24 * 60 * 60 || now - t < 0
            ? utc.ToString("MMM d yyyy", CultureInfo.InvariantCulture)
            : utc.ToString("MMM d HH:mm", CultureInfo.InvariantCulture);
        sb.Append(' ').Append(when).Append(' ').Append(e.Name);
        if (e.Kind == FileKind.Symlink)
        {
            sb.Append(" -> ").Append(e.LinkTarget);
        }

        return Spaces().Replace(sb.ToString(), " ");
    }

    private static char Exec(int x, int special, char letter)
        => special != 0 ? (x != 0 ? letter : char.ToUpperInvariant(letter)) : (x != 0 ? 'x' : '-');

    public static string Sha256(Stream s) => Convert.ToHexString(SHA256.HashData(s));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    // mode links uid gid size-or-"maj, min" month day year-or-time name [-> target]
    [GeneratedRegex(@"^(?<head>\S{10} \d+ \d+ \d+ (?:\d+, \d+|\d+) \S+ \d+ \S+) (?<name>.*?)(?<link> -> .*)?$")]
    private static partial Regex LineShape();
}
