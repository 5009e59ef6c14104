using System.Globalization;
using System.Text.RegularExpressions;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Iso9660;

/// <summary>Ground truth from xorriso (libisofs) on the same bytes: listings, extraction, El Torito and system area reports.</summary>
internal static partial class XorrisoTruth
{
    /// <summary>One `-exec lsdl` line: type+permissions, owner, size ("maj,min" for devices), path, symlink target.</summary>
    public sealed record Line(char Type, int Mode, long Uid, long Gid, string Size, string Path, string? Target);

    /// <summary>xorriso's -read_fs value for each name space: any (Rock Ridge first), norock (Joliet first), ecma119.</summary>
    public static string ReadFs(string names) => names switch
    {
        "Auto" or "RockRidge" => "any",
        "Joliet" => "norock",
        _ => "ecma119",
    };

    public static Dictionary<string, Line> List(string iso, string readFs)
    {
        string stdout = Tool.Output("xorriso", "-read_fs", readFs, "-indev", iso, "-find", "/", "-exec", "lsdl");
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (string raw in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match m = LsdlLine().Match(raw);
            Assert.True(m.Success, $"unexpected lsdl line: {raw}");
            string path = Unquote(m.Groups["path"].Value).TrimStart('/');
            if (path.Length == 0)
            {
                continue;
            }

            string perms = m.Groups["perms"].Value;
            lines[path] = new Line(perms[0], Mode(perms), long.Parse(m.Groups["uid"].Value, CultureInfo.InvariantCulture),
                long.Parse(m.Groups["gid"].Value, CultureInfo.InvariantCulture), m.Groups["size"].Value, path,
                m.Groups["target"].Success ? Unquote(m.Groups["target"].Value) : null);
        }

        return lines;
    }

    /// <summary>Extracts the whole tree (-osirrox on, hard links restored) into <paramref name="dir"/>.</summary>
    public static void Extract(string iso, string readFs, string dir)
    {
        Tool.Output("xorriso", "-osirrox", "on", "-hardlinks", "on", "-read_fs", readFs, "-indev", iso, "-extract", "/", dir);
    }

    /// <summary>`-report_el_torito plain`: (platform, bootable, emulation, load segment, load size, LBA, path?) per image.</summary>
    public static List<(string Platform, bool Bootable, string Emulation, int LoadSegment, int LoadSize, long Lba, string? Path)> ElTorito(string iso)
    {
        string stdout = Tool.Output("xorriso", "-indev", iso, "-report_el_torito", "plain");
        var images = new List<(string, bool, string, int, int, long, string?)>();
        var paths = new Dictionary<int, string>();
        foreach (string line in stdout.Split('\n'))
        {
            string[] f = line.Split(':', 2);
            if (f.Length < 2)
            {
                continue;
            }

            string[] v = f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (f[0].Trim())
            {
                case "El Torito boot img":
                    images.Add((v[1], v[2] == "y", v[3], Convert.ToInt32(v[4], 16), int.Parse(v[6], CultureInfo.InvariantCulture), long.Parse(v[7], CultureInfo.InvariantCulture), null));
                    break;
                case "El Torito img path":
                    paths[int.Parse(v[0], CultureInfo.InvariantCulture)] = v[1].TrimStart('/');
                    break;
            }
        }

        for (int i = 0; i < images.Count; i++)
        {
            images[i] = images[i] with { Item7 = paths.GetValueOrDefault(i + 1) };
        }

        return images;
    }

    /// <summary>`-report_system_area plain`: MBR (index, status, type, start, blocks) and GPT (index, type GUID hex, start, blocks).</summary>
    public static (List<(int Index, bool Bootable, string Type, long Start, long Blocks)> Mbr, List<(int Index, string TypeHex, long Start, long Blocks, string Name)> Gpt) SystemArea(string iso)
    {
        string stdout = Tool.Output("xorriso", "-indev", iso, "-report_system_area", "plain");
        var mbr = new List<(int, bool, string, long, long)>();
        var gptType = new Dictionary<int, string>();
        var gptRange = new Dictionary<int, (long, long)>();
        var gptName = new Dictionary<int, string>();
        foreach (string line in stdout.Split('\n'))
        {
            string[] f = line.Split(':', 2);
            if (f.Length < 2)
            {
                continue;
            }

            string[] v = f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (f[0].Trim())
            {
                case "MBR partition":
                    mbr.Add((int.Parse(v[0], CultureInfo.InvariantCulture), v[1] == "0x80", v[2], long.Parse(v[3], CultureInfo.InvariantCulture), long.Parse(v[4], CultureInfo.InvariantCulture)));
                    break;
                case "GPT type GUID":
                    gptType[int.Parse(v[0], CultureInfo.InvariantCulture)] = v[1];
                    break;
                case "GPT start and size":
                    gptRange[int.Parse(v[0], CultureInfo.InvariantCulture)] = (long.Parse(v[1], CultureInfo.InvariantCulture), long.Parse(v[2], CultureInfo.InvariantCulture));
                    break;
                case "GPT partname local":
                    gptName[int.Parse(v[0], CultureInfo.InvariantCulture)] = string.Join(' ', v[1..]);
                    break;
            }
        }

        var gpt = gptType.Select(kv => (kv.Key, kv.Value, gptRange[kv.Key].Item1, gptRange[kv.Key].Item2, gptName.GetValueOrDefault(kv.Key, string.Empty))).ToList();
        return (mbr, gpt);
    }

    private static int Mode(string perms)
    {
        int mode = 0;
        string rwx = perms[1..];
        for (int i = 0; i < 9; i++)
        {
            char c = rwx[i];
            if (c is not '-' and not 'S' and not 'T')
            {
                mode |= 1 << (8 - i);
            }
        }

        if (rwx[2] is 's' or 'S')
        {
            mode |= 0x800;
        }

        if (rwx[5] is 's' or 'S')
        {
            mode |= 0x400;
        }

        if (rwx[8] is 't' or 'T')
        {
            mode |= 0x200;
        }

        return mode;
    }

    /// <summary>xorriso quotes paths in '...', writing a quote inside as '\''.</summary>
    private static string Unquote(string s) => s.Replace("'\\''", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<perms>\S{10})\s+\d+\s+(?<uid>\d+)\s+(?<gid>\d+)\s+(?<size>\S+)\s+\w{3}\s+\d+\s+[\d:]+\s+'(?<path>.*?)'(?: -> '(?<target>.*)')?$")]
    private static partial Regex LsdlLine();
}
