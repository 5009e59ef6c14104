using System.Formats.Tar;
using System.Text;

namespace Footprint.Tests.Cli;

/// <summary>
/// A rootfs tar built at test time whose artifact strings carry terminal controls: file names, os-release
/// PRETTY_NAME, a passwd entry, apk P:/V:/L: fields and a script's #! line hold a newline, CR, ESC[31m, BEL,
/// U+202E (right-to-left override) or a backslash.
/// </summary>
internal static class HostileRootfs
{
    /// <summary>The raw pieces, each put into a file name (data/NAME.dat), and all but the newline into an apk package name.</summary>
    public static readonly string[] Names = ["nl\nfake row", "cr\rx", "esc\u001b[31mred", "bel\u0007x", "bidi\u202eexe.txt", "back\\slash"];

    /// <summary>How each of <see cref="Names"/> must be shown.</summary>
    public static readonly string[] Escaped = [@"nl\nfake row", @"cr\rx", @"esc\e[31mred", @"bel\ax", @"bidi\u202eexe.txt", @"back\\slash"];

    /// <summary>A package name longer than 80 columns: piped tables must not split it.</summary>
    public const string LongPackage = "a-very-long-package-name-that-must-stay-on-one-line-when-piped-libapt-pkg6.0-0123456789";

    public static void Write(string path)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false);
        foreach (var dir in new[] { "etc", "lib", "lib/apk", "lib/apk/db", "bin", "data" })
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)0b111_101_101 });
        }

        Add(tar, "etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME=\"Evil \u001b[31mLinux\u202e\u0007\"\n");
        Add(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nev\u001b[31mil:x:1000:1000::/home/e:/bin/sh\u0007\n");
        var apk = new StringBuilder();
        for (var i = 0; i < Names.Length; i++)
        {
            // apk fields end at a newline, so the newline piece cannot be in a field; its file still is.
            apk.Append($"P:pkg-{Names[i].Replace('\n', '_')}\nV:1.{i}-r0\u202e\nA:x86_64\nL:MIT\u001b[31m\nS:100\nI:300\nF:data\nR:{Names[i].Replace('\n', '_')}.dat\n\n");
        }

        apk.Append($"P:{LongPackage}\nV:1.0-r0\nA:x86_64\nS:1\nI:1\n\n");
        Add(tar, "lib/apk/db/installed", apk.ToString());
        foreach (var name in Names)
        {
            Add(tar, "data/" + name + ".dat", string.Concat(Enumerable.Repeat("hello ", 50)));
        }

        // A script whose interpreter is missing: lint reports its path and its #! line.
        Add(tar, "bin/run\u001b[31m.sh", "#!/nonexistent/sh\u0007\necho hi\n", executable: true);
    }

    private static void Add(TarWriter tar, string name, string content, bool executable = false)
    {
        // ustar where the name fits (ASCII, under 100 bytes): .NET's TarReader rejects a PAX path record holding a
        // newline ("The extended header contains invalid records"), so the newline name goes in the ustar header.
        TarEntry entry = name.All(char.IsAscii) && name.Length < 100 ? new UstarTarEntry(TarEntryType.RegularFile, name) : new PaxTarEntry(TarEntryType.RegularFile, name);
        entry.Mode = (UnixFileMode)(executable ? 0b111_101_101 : 0b110_100_100);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        tar.WriteEntry(entry);
    }
}
