using System.Text;
using Footprint.Formats.Elf;

namespace Footprint.Tests.Formats.Elf;

public sealed class ElfLibraryStringsTests
{
    [Fact]
    public void Should_find_exactly_the_runs_a_byte_by_byte_scan_finds_in_real_libraries_and_programs()
    {
        var files = new[] { "/usr/bin/bash", "/usr/bin/python3", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/bin/dpkg" }
            .Where(File.Exists).ToList();
        Assert.True(files.Count >= 3, "expected at least three of the host's ELF files");
        var found = 0;
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            var expected = Reference(bytes);
            Assert.Equal(expected, ElfLibraryStrings.Find(bytes));
            found += expected.Length;
        }

        Assert.True(found > 20, $"only {found} strings in the host's binaries");
    }

    [Fact]
    public void Should_agree_with_a_byte_by_byte_scan_on_edges_and_random_bytes()
    {
        string[] cases =
        [
            "", "/", "/a", "/abc", ".so", "x.so", "lib.so.6", "\0/usr/lib/libz.so.1\0", "/usr\0/lib", "ab/cd\0", "a.so.1\u007f/etc/x\0",
            new string('a', 300) + ".so", "\0" + new string('/', 256) + "\0", "\0" + new string('/', 257) + "\0", "/x.so/y.so\n/z",
        ];
        foreach (var text in cases)
        {
            var bytes = Encoding.Latin1.GetBytes(text);
            Assert.Equal(Reference(bytes), ElfLibraryStrings.Find(bytes));
        }

        var random = new Random(11);
        var alphabet = "/.soab\0\u0001 \u007f\u00ff"u8.ToArray();
        for (var n = 0; n < 2000; n++)
        {
            var bytes = new byte[random.Next(0, 600)];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.Equal(Reference(bytes), ElfLibraryStrings.Find(bytes));
        }
    }

    [Fact]
    public void Should_stop_at_the_same_string_as_a_byte_by_byte_scan_when_the_cap_is_reached()
    {
        var text = new StringBuilder();
        for (var i = 0; i < ElfLibraryStrings.MaxStrings + 500; i++)
        {
            text.Append("/lib").Append(i).Append(".so\0");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        var found = ElfLibraryStrings.Find(bytes);
        Assert.Equal(ElfLibraryStrings.MaxStrings, found.Length);
        Assert.Equal(Reference(bytes), found);
    }

    /// <summary>The definition, one byte at a time: maximal printable runs of 4-256 bytes starting with '/' or holding ".so".</summary>
    private static string[] Reference(ReadOnlySpan<byte> file)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= file.Length && result.Count < ElfLibraryStrings.MaxStrings; i++)
        {
            if (i < file.Length && file[i] >= 0x20 && file[i] < 0x7f)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                var run = file[start..i];
                if (run.Length is >= 4 and <= 256 && (run[0] == (byte)'/' || run.IndexOf(".so"u8) >= 0))
                {
                    result.Add(Encoding.ASCII.GetString(run));
                }

                start = -1;
            }
        }

        return [.. result.Order(StringComparer.Ordinal)];
    }
}
