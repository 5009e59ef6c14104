using Footprint.FileSystem;
using Microsoft.Data.Sqlite;

namespace Footprint.Store;

/// <summary>
/// The `stamps` table: for a blob a read verified, the stamp of the local file it was read from (docs/cache.md, "What a
/// hit trusts"). A later run that finds the file with the very same stamp knows the bytes are the ones hashed then.
/// One row per (blob, file, offset); a newer verification of the same place replaces the row.
/// </summary>
internal static class StampRows
{
    /// <summary>
    /// How much older than the moment it was taken a file's ctime must be for the stamp to be kept: a change within the
    /// same coarse kernel tick could leave ctime as it was (git's "racily clean" entries). Generous on purpose.
    /// </summary>
    public const long DefaultRacyMarginNanoseconds = 2_000_000_000;

    public const string CreateTable = "CREATE TABLE IF NOT EXISTS stamps(blob TEXT NOT NULL, file TEXT NOT NULL, offset INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(blob, file, offset));";

    /// <summary>Whether <paramref name="stamp"/> is one a verifying read of <paramref name="blob"/> recorded.</summary>
    public static bool Matches(SqliteConnection connection, string blob, FileStamp stamp, long racyMargin)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM stamps WHERE blob = $blob AND file = $file AND offset = $offset";
        command.Parameters.AddWithValue("$blob", blob);
        command.Parameters.AddWithValue("$file", stamp.File);
        command.Parameters.AddWithValue("$offset", stamp.Offset);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        if (reader.GetFieldType(0) != typeof(byte[]))
        {
            throw new CacheCorruptException("stamp payload is not a blob");
        }

        var payload = reader.GetFieldValue<byte[]>(0);
        var body = PayloadReader.Open(Context(blob, stamp), payload);
        var stored = new FileStamp(stamp.File, stamp.Offset, body.Int64(), (ulong)body.Int64(), (ulong)body.Int64(), body.Int64(), body.Int64(), body.Int64(), body.Int64());
        if (body.Remaining != 0)
        {
            throw new CacheCorruptException("stamp row has trailing bytes");
        }

        return stored.SameFileAs(stamp) && IsSettled(stored, racyMargin);
    }

    /// <summary>Records the stamp when the file did not change during the read (<paramref name="before"/> equals <paramref name="after"/>) and is settled.</summary>
    public static bool Put(SqliteConnection connection, string blob, FileStamp before, FileStamp after, long racyMargin)
    {
        if (!before.SameFileAs(after) || !IsSettled(before, racyMargin))
        {
            return false;
        }

        var body = new PayloadWriter();
        body.Int64(before.Length);
        body.Int64((long)before.Device);
        body.Int64((long)before.Inode);
        body.Int64(before.Size);
        body.Int64(before.MtimeNanoseconds);
        body.Int64(before.CtimeNanoseconds);
        body.Int64(before.TakenNanoseconds);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO stamps(blob, file, offset, payload) VALUES($blob, $file, $offset, $payload)";
        command.Parameters.AddWithValue("$blob", blob);
        command.Parameters.AddWithValue("$file", before.File);
        command.Parameters.AddWithValue("$offset", before.Offset);
        command.Parameters.AddWithValue("$payload", body.Seal(Context(blob, before)));
        command.ExecuteNonQuery();
        return true;
    }

    /// <summary>The file's last change lies clearly before the stamp was taken, so any later change moves its ctime.</summary>
    private static bool IsSettled(FileStamp stamp, long racyMargin) => stamp.CtimeNanoseconds < stamp.TakenNanoseconds - racyMargin;

    private static string Context(string blob, FileStamp stamp) => $"stamps {blob} {stamp.File} {stamp.Offset} {TreeCodec.FormatVersion}";
}
