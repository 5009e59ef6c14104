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
    /// <remarks>
    /// Only runs holding a '/' or a '.' can qualify, so the scan jumps between those bytes (a vectorized search) and
    /// measures the run around each: a byte-by-byte pass over every ELF file that imports dlopen was a few percent of
    /// measuring an image. Each run is looked at once, in file order, so the cut at <see cref="MaxStrings"/> falls
    /// where a byte-by-byte scan's would.
    /// </remarks>
    public static string[] Find(ReadOnlySpan<byte> file)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var at = 0;
        while (at < file.Length && result.Count < MaxStrings)
        {
            var hit = file[at..].IndexOfAny((byte)'/', (byte)'.');
            if (hit < 0)
            {
                break;
            }

            hit += at;

            // The printable run around the hit: back to its first byte, forward past its last.
            var start = file[..hit].LastIndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) + 1;
            var after = file[hit..].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e);
            var end = after < 0 ? file.Length : hit + after;
            var run = file[start..end];
            if (run.Length is >= MinBytes and <= MaxBytes && (run[0] == (byte)'/' || run.IndexOf(".so"u8) >= 0))
            {
                result.Add(Encoding.ASCII.GetString(run));
            }

            at = end + 1;
        }

        return [.. result.Order(StringComparer.Ordinal)];
    }
}
