using System.Text;
using Footprint.FileSystem;

namespace Footprint.Analyzers.Packages;

/// <summary>Reads a captured database file as text, noting when only a bounded head of it was kept.</summary>
internal static class DatabaseText
{
    /// <summary>The most of one database file that is read: the same bound a layer stream keeps.</summary>
    public const int MaxDatabaseBytes = Walk.ContentLimits.MaxWholeBytes;

    /// <summary>Invalid UTF-8 becomes U+FFFD rather than an exception: a database with one bad byte still lists its packages.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The file's text, or null when there is no content. A file larger than the capture bound
    /// (<see cref="MaxDatabaseBytes"/>) is read up to the bound and an unknown is recorded.
    /// </summary>
    public static string? Read(string path, IFileContent? content, List<PackageUnknown> unknowns)
        => ReadBytes(path, content, unknowns) is { } bytes ? Decode(bytes.Span) : null;

    /// <summary>UTF-8 as <see cref="Read"/> decodes it: invalid bytes become U+FFFD.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Utf8.GetString(bytes);

    /// <summary>
    /// As <see cref="Read"/>, the bytes undecoded (for a reader that decodes only the lines it keeps): the same bound,
    /// the same unknowns.
    /// </summary>
    public static ReadOnlyMemory<byte>? ReadBytes(string path, IFileContent? content, List<PackageUnknown> unknowns)
    {
        if (content is null)
        {
            unknowns.Add(new PackageUnknown("/" + path, 0, "content not available"));
            return null;
        }

        if (content is CapturedContent captured)
        {
            // Already in memory (a layer's capture, or the cache's): decoded where it lies, not copied first. A
            // capture is never longer than the bound (ContentLimits.MaxWholeBytes); the cut is only a guard.
            var bytes = captured.Bytes;
            if (!captured.IsComplete || bytes.Length > MaxDatabaseBytes)
            {
                unknowns.Add(new PackageUnknown("/" + path, 0, $"larger than {MaxDatabaseBytes} bytes: only the head was read, later records are missing"));
            }

            return bytes[..Math.Min(bytes.Length, MaxDatabaseBytes)];
        }

        try
        {
            // Read at most the capture bound even from a disk source (DiskContent is "complete" whatever its
            // size): memory stays bounded by a constant, never by a size the input claims.
            using var stream = content.Open();
            // One byte more than the length, so the end is seen without growing (and copying) a full buffer first.
            var buffer = new byte[Math.Min(MaxDatabaseBytes, LengthHint(stream) + 1L)];
            var read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (buffer.Length >= MaxDatabaseBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(MaxDatabaseBytes, Math.Max(4096L, buffer.Length * 2L)));
                }

                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var truncated = !content.IsComplete || (read == MaxDatabaseBytes && stream.ReadByte() >= 0);
            if (truncated)
            {
                unknowns.Add(new PackageUnknown("/" + path, 0, $"larger than {MaxDatabaseBytes} bytes: only the head was read, later records are missing"));
            }

            return buffer.AsMemory(0, read);
        }
        catch (IOException e)
        {
            unknowns.Add(new PackageUnknown("/" + path, 0, "unreadable: " + e.Message));
            return null;
        }
    }

    private static int LengthHint(Stream stream)
    {
        try
        {
            return stream.CanSeek ? (int)Math.Min(int.MaxValue, Math.Max(0, stream.Length)) : 4096;
        }
        catch (NotSupportedException)
        {
            return 4096;
        }
    }

    /// <summary>Splits text into lines (LF or CRLF), keeping 1-based numbers.</summary>
    public static IEnumerable<(int Number, string Text)> Lines(string text)
    {
        var number = 0;
        var start = 0;
        while (start < text.Length)
        {
            var length = CutLine(text.AsSpan(start), '\n', '\r', out var consumed);
            yield return (++number, text.Substring(start, length));
            start += consumed;
        }
    }

    /// <summary>
    /// The first line of <paramref name="rest"/> (cut at LF, a CR before it dropped), and <paramref name="rest"/> moved
    /// past it: the same lines as <see cref="Lines"/>, looked at in place by readers that keep few of them.
    /// </summary>
    public static ReadOnlySpan<char> NextLine(ref ReadOnlySpan<char> rest) => NextLine(ref rest, '\n', '\r');

    /// <summary>As <see cref="NextLine(ref ReadOnlySpan{char})"/> on UTF-8 bytes (an LF byte is never inside a multi-byte character).</summary>
    public static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> rest) => NextLine(ref rest, (byte)'\n', (byte)'\r');

    private static ReadOnlySpan<T> NextLine<T>(ref ReadOnlySpan<T> rest, T lf, T cr)
        where T : IEquatable<T>
    {
        var line = rest[..CutLine(rest, lf, cr, out var consumed)];
        rest = rest[consumed..];
        return line;
    }

    /// <summary>The length of the first line of <paramref name="text"/> without its CR LF or LF; <paramref name="consumed"/> includes them.</summary>
    private static int CutLine<T>(ReadOnlySpan<T> text, T lf, T cr, out int consumed)
        where T : IEquatable<T>
    {
        var end = text.IndexOf(lf);
        var stop = end < 0 ? text.Length : end;
        consumed = end < 0 ? text.Length : end + 1;
        return stop > 0 && text[stop - 1].Equals(cr) ? stop - 1 : stop;
    }
}
