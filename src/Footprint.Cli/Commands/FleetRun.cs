using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>
/// `measure --list FILE` (and `-f jsonl`): many inputs measured a few at a time over one cache, one JSON line each
/// written as it completes (docs/fleet.md). With `--resume` the inputs already in the output file are skipped, after
/// a torn last line (a run killed mid-write) is cut off, so an interrupted run goes on where it stopped.
/// </summary>
internal sealed class FleetRun
{
    /// <summary>The longest list line read: a path or reference, never megabytes.</summary>
    public const int MaxListLineChars = 64 * 1024;

    private readonly Func<string, ArtifactReport> _measure;
    private readonly Lock _writeLock = new();

    public FleetRun(Func<string, ArtifactReport> measure) => _measure = measure;

    /// <summary>Inputs of a list file: one per line, blank lines and lines starting with '#' skipped, surrounding spaces trimmed.</summary>
    public static IReadOnlyList<string> ReadList(string path)
    {
        var inputs = new List<string>();
        using var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path);
        var line = new System.Text.StringBuilder();
        var number = 0;
        while (ReadLine(reader, line, path, ++number) is { } text)
        {
            text = text.Trim();
            if (text.Length > 0 && text[0] != '#')
            {
                inputs.Add(text);
            }
        }

        return inputs;
    }

    /// <summary>
    /// One line (ended by LF, CR or CRLF, as <see cref="TextReader.ReadLine"/> splits), null at the end. Unlike ReadLine,
    /// memory stops at <see cref="MaxListLineChars"/>: a multi-gigabyte file without a newline is refused, not buffered.
    /// </summary>
    private static string? ReadLine(StreamReader reader, System.Text.StringBuilder line, string path, int number)
    {
        line.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                return line.ToString();
            }

            if (c == '\r')
            {
                // A CRLF split between two reads of a pipe is seen as CR, then an empty line: skipped like any blank line.
                if (reader.Peek() == '\n')
                {
                    reader.Read();
                }

                return line.ToString();
            }

            if (line.Length == MaxListLineChars)
            {
                throw new FormatException($"{path}: line {number} is longer than {MaxListLineChars} characters; a list holds one path or reference per line");
            }

            line.Append((char)c);
        }

        return line.Length > 0 ? line.ToString() : null;
    }

    /// <summary>
    /// Measures <paramref name="inputs"/> (duplicates once) with at most <paramref name="jobs"/> at a time and writes
    /// their lines to <paramref name="output"/>; returns how many failed.
    /// </summary>
    public int Run(IReadOnlyList<string> inputs, int jobs, Stream output, ISet<string> done)
    {
        var todo = inputs.Distinct(StringComparer.Ordinal).Where(i => !done.Contains(i)).ToList();
        var failed = 0;
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs }, input =>
        {
            byte[] line;
            try
            {
                line = FleetLines.Report(_measure(input));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref failed);
                line = FleetLines.Error(input, e);
            }

            // One write per line, under a lock: lines never interleave, and a kill leaves at most the last one torn.
            lock (_writeLock)
            {
                output.Write(line);
                output.Flush();
            }
        });
        return failed;
    }

    /// <summary>
    /// Opens <paramref name="path"/> to append after the lines already there, and returns the inputs they name. A last
    /// line without its newline (torn by a kill) is cut off, so that input is measured again.
    /// </summary>
    public static FileStream OpenForResume(string path, HashSet<string> done)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var endOfLastLine = ReadDone(file, done);
            if (endOfLastLine < file.Length)
            {
                file.SetLength(endOfLastLine);
            }

            file.Seek(0, SeekOrigin.End);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads complete lines, adds their inputs to <paramref name="done"/>, returns the offset after the last newline.</summary>
    private static long ReadDone(FileStream file, HashSet<string> done)
    {
        // Memory grows with the longest line only (a report), never with the file.
        var line = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long offset = 0, endOfLastLine = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                line.Write(buffer, start, i - start);
                if (FleetLines.InputOf(line.GetBuffer().AsSpan(0, (int)line.Length)) is { } input)
                {
                    done.Add(input);
                }

                line.SetLength(0);
                start = i + 1;
                endOfLastLine = offset + i + 1;
            }

            line.Write(buffer, start, read - start);
            offset += read;
        }

        return endOfLastLine;
    }
}
