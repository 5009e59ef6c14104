using System.Text;
using Footprint.FileSystem;

namespace Footprint.Analyzers.Packages;

/// <summary>Reads a captured database file as text, noting when only a bounded head of it was kept.</summary>
internal static class DatabaseText
{
    /// <summary>
    /// The file's text, or null when there is no content. A file larger than the capture bound
    /// (<see cref="Walk.ContentLimits.MaxWholeBytes"/>) is read up to the bound and an unknown is recorded.
    /// </summary>
    public static string? Read(string path, IFileContent? content, List<PackageUnknown> unknowns)
    {
        if (content is null)
        {
            unknowns.Add(new PackageUnknown("/" + path, 0, "content not available"));
            return null;
        }

        try
        {
            using var stream = content.Open();
            using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false);
            var text = reader.ReadToEnd();
            if (!content.IsComplete)
            {
                unknowns.Add(new PackageUnknown("/" + path, 0, $"larger than {Walk.ContentLimits.MaxWholeBytes} bytes: only the head was read, later records are missing"));
            }

            return text;
        }
        catch (IOException e)
        {
            unknowns.Add(new PackageUnknown("/" + path, 0, "unreadable: " + e.Message));
            return null;
        }
    }

    /// <summary>Splits text into lines (LF or CRLF), keeping 1-based numbers.</summary>
    public static IEnumerable<(int Number, string Text)> Lines(string text)
    {
        var number = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var stop = end < 0 ? text.Length : end;
            var line = text.AsSpan(start, stop - start);
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            yield return (++number, line.ToString());
            start = end < 0 ? text.Length : end + 1;
        }
    }
}
