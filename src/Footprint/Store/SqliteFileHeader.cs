using System.Buffers.Binary;

namespace Footprint.Store;

/// <summary>The 100-byte header of an SQLite database file, read before SQLite opens it (a damaged cache file is replaced).</summary>
internal static class SqliteFileHeader
{
    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>
    /// Why the file cannot be the database it claims to be, from its 100-byte header (sqlite.org/fileformat2.html,
    /// "The Database Header"): not the SQLite magic, or shorter than the page count the header gives when that count
    /// is valid (version-valid-for at offset 92 equals the change counter at 24). A WAL checkpoint only grows the
    /// file to the count, so a shorter file was cut. Null when the header is sound (or the file is new).
    /// </summary>
    public static string? Damage(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> head = stackalloc byte[100];
            var got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (got == 0)
            {
                return null;
            }

            if (got < head.Length || !head[..SqliteMagic.Length].SequenceEqual(SqliteMagic))
            {
                return "not an SQLite database";
            }

            var pageSize = BinaryPrimitives.ReadUInt16BigEndian(head[16..]) is var p && p == 1 ? 65536L : p;
            var pages = BinaryPrimitives.ReadUInt32BigEndian(head[28..]);
            var valid = BinaryPrimitives.ReadUInt32BigEndian(head[92..]) == BinaryPrimitives.ReadUInt32BigEndian(head[24..]);
            if (pageSize < 512 || !System.Numerics.BitOperations.IsPow2(pageSize))
            {
                return $"page size {pageSize} in the header";
            }

            var length = file.Length;
            return valid && length < pages * pageSize ? $"truncated: {length} bytes, the header says {pages} pages of {pageSize}"
                : length % pageSize != 0 ? $"truncated: {length} bytes is not a whole number of {pageSize}-byte pages" : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
