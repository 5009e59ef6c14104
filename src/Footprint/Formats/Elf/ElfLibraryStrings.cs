using System.Text;

namespace Footprint.Formats.Elf;

/// <summary>
/// The printable runs of a file that can name a library for dlopen: containing ".so", or an absolute path. What a
/// dlopen importer may load is not in its headers; these strings are the evidence that it can name a package's files.
/// Bounded in count and length, so a file full of strings costs no more than <see cref="MaxStrings"/> of them.
/// </summary>
public static class ElfLibraryStrings
{
    public const int MaxStrings = 4096;
    private const int MinBytes = 4;
    private const int MaxBytes = 256;

    /// <summary>The strings, sorted ordinally, at most <see cref="MaxStrings"/>.</summary>
    public static string[] Find(ReadOnlySpan<byte> file)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= file.Length && result.Count < MaxStrings; i++)
        {
            if (i < file.Length && file[i] >= 0x20 && file[i] < 0x7f)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                var run = file[start..i];
                if (run.Length is >= MinBytes and <= MaxBytes && (run[0] == (byte)'/' || run.IndexOf(".so"u8) >= 0))
                {
                    result.Add(Encoding.ASCII.GetString(run));
                }

                start = -1;
            }
        }

        return [.. result.Order(StringComparer.Ordinal)];
    }
}
