using System.Buffers.Binary;
using Footprint.Formats;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// Reads an rpm package database — SQLite (rpmdb.sqlite), BerkeleyDB hash (Packages) or NDB (Packages.db) —
/// into one <see cref="RpmHeader"/> per package. The format is detected from the content, not the name.
/// </summary>
/// <remarks>
/// <para>
/// All three formats need random access, so this is not a streaming reader: BerkeleyDB and NDB content is
/// held in memory (at most <see cref="MaxDatabaseBytes"/>), and SQLite content is copied to a private temporary
/// file (SQLite opens files, not streams) that is deleted before <see cref="Read(Stream, string)"/> returns.
/// </para>
/// <para>
/// A record that does not parse becomes an <see cref="RpmUnknown"/> and reading goes on. Input that is not an
/// rpm database at all, or whose file-level structure is broken, throws <see cref="FootprintFormatException"/>.
/// </para>
/// </remarks>
public static class RpmDatabase
{
    /// <summary>Largest database accepted; real ones are 5–300 MB.</summary>
    public const long MaxDatabaseBytes = 1L << 30;

    /// <summary>Bytes needed by <see cref="Detect"/>.</summary>
    public const int DetectBytes = 16;

    /// <summary>"SQLite format 3\0": first 16 bytes of every SQLite 3 database (sqlite.org/fileformat.html, 1.3).</summary>
    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>Reads the database file at <paramref name="path"/>.</summary>
    public static RpmDatabaseContent Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads a database from <paramref name="stream"/> (read to its end, from its current position; need not be seekable).
    /// </summary>
    /// <param name="stream">The database content, e.g. the file content an analyzer is handed.</param>
    /// <param name="source">Name of the file, for messages (e.g. "/var/lib/rpm/Packages").</param>
    public static RpmDatabaseContent Read(Stream stream, string source)
    {
        var head = new byte[DetectBytes];
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = Detect(head.AsSpan(0, got))
            ?? throw new FootprintFormatException(source, 0, "not an rpm database (no SQLite, BerkeleyDB hash or NDB magic)");

        if (format == RpmDatabaseFormat.Sqlite)
        {
            return RpmSqliteReader.Read(head.AsSpan(0, got), stream, source);
        }

        using var all = new MemoryStream();
        all.Write(head, 0, got);
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (all.Length + n > MaxDatabaseBytes)
            {
                throw new FootprintFormatException(source, all.Length, $"rpm database is larger than {MaxDatabaseBytes} bytes");
            }

            all.Write(buffer, 0, n);
        }

        return Read(all.GetBuffer().AsSpan(0, (int)all.Length), source, format);
    }

    /// <summary>Reads a database held in memory.</summary>
    public static RpmDatabaseContent Read(ReadOnlySpan<byte> content, string source)
    {
        var format = Detect(content)
            ?? throw new FootprintFormatException(source, 0, "not an rpm database (no SQLite, BerkeleyDB hash or NDB magic)");
        if (format == RpmDatabaseFormat.Sqlite)
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            return Read(stream, source);
        }

        return Read(content, source, format);
    }

    /// <summary>
    /// The format of a database from its first <see cref="DetectBytes"/> bytes, or null if it is none of the three.
    /// </summary>
    public static RpmDatabaseFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(SqliteMagic))
        {
            return RpmDatabaseFormat.Sqlite;
        }

        if (head.Length >= 4 && (head[..4].SequenceEqual("RpmP"u8) || head[..4].SequenceEqual("PmpR"u8)))
        {
            return RpmDatabaseFormat.Ndb;
        }

        if (head.Length >= 16)
        {
            var magic = head.Slice(RpmBerkeleyDbReader.MagicOffset, 4);
            if (BinaryPrimitives.ReadUInt32LittleEndian(magic) == RpmBerkeleyDbReader.HashMagic
                || BinaryPrimitives.ReadUInt32BigEndian(magic) == RpmBerkeleyDbReader.HashMagic)
            {
                return RpmDatabaseFormat.BerkeleyDbHash;
            }
        }

        return null;
    }

    private static RpmDatabaseContent Read(ReadOnlySpan<byte> content, string source, RpmDatabaseFormat format)
    {
        var sink = new Sink(source);
        if (format == RpmDatabaseFormat.Ndb)
        {
            RpmNdbReader.Read(content, sink);
        }
        else
        {
            RpmBerkeleyDbReader.Read(content, sink);
        }

        return new RpmDatabaseContent(format, sink.Headers, sink.Unknowns);
    }

    /// <summary>Collects the headers and unknowns of one database; turns a blob's parse failure into an unknown.</summary>
    internal sealed class Sink(string source)
    {
        public string Source { get; } = source;

        public List<RpmHeader> Headers { get; } = [];

        public List<RpmUnknown> Unknowns { get; } = [];

        public void Unknown(long offset, string reason) => Unknowns.Add(new RpmUnknown(offset, reason));

        /// <summary>Parses one header blob that starts at <paramref name="offset"/> in the file (or row <paramref name="offset"/> for SQLite).</summary>
        public void Blob(ReadOnlySpan<byte> blob, long offset, string? where = null)
        {
            try
            {
                Headers.Add(RpmHeaderParser.Parse(blob, Source, where is null ? offset : 0));
            }
            catch (FootprintFormatException e)
            {
                Unknowns.Add(new RpmUnknown(offset, where is null ? e.Message : $"{where}: {e.Message}"));
            }
        }
    }
}
