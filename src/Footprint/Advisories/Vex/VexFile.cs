using Footprint.Advisories.Feeds;
using Footprint.Formats;

namespace Footprint.Advisories.Vex;

/// <summary>
/// Reads the VEX documents and ignore lists given on the command line. A file is read up to
/// <see cref="MaxFileBytes"/> (a longer one is refused before it is parsed), into a buffer that grows with what is
/// actually read, never with a size the file claims; JSON nesting is capped by <see cref="FeedJson.MaxDepth"/>.
/// </summary>
public static class VexFile
{
    /// <summary>Largest VEX document or ignore list accepted: far above a real one (a statement is a few hundred bytes).</summary>
    public const int MaxFileBytes = 16 << 20;

    /// <summary>An OpenVEX or CycloneDX VEX JSON file: the format is recognised from the document itself.</summary>
    public static List<VexStatement> ReadVex(string path) => ParseVex(ReadCapped(path), path);

    /// <summary>An ignore list (<see cref="IgnoreListReader"/>).</summary>
    public static List<VexStatement> ReadIgnoreList(string path) => IgnoreListReader.Read(ReadCapped(path), path);

    /// <summary>Parses VEX JSON already in memory (tests, fuzzing): OpenVEX when its @context is openvex.dev's, else CycloneDX.</summary>
    public static List<VexStatement> ParseVex(ReadOnlyMemory<byte> utf8, string file)
    {
        var (document, root) = FeedJson.Parse(utf8, file);
        using (document)
        {
            if (OpenVexReader.Recognises(root))
            {
                return OpenVexReader.Read(root);
            }

            if (CycloneDxVexReader.Recognises(root))
            {
                return CycloneDxVexReader.Read(root);
            }

            throw root.Error("neither OpenVEX (\"@context\": \"https://openvex.dev/ns/...\") nor CycloneDX (\"bomFormat\": \"CycloneDX\")");
        }
    }

    /// <summary>The file's bytes, refusing one longer than <see cref="MaxFileBytes"/> (read, not stat'ed: a FIFO has no length).</summary>
    public static byte[] ReadCapped(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 << 10];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new FootprintFormatException(path, MaxFileBytes, $"longer than {MaxFileBytes} bytes: not a VEX document or ignore list Footprint reads");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
