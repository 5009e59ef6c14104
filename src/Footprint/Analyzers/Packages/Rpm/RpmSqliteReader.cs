using Footprint.Formats;
using Microsoft.Data.Sqlite;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// rpm ≥ 4.16 rpmdb.sqlite: table <c>Packages(hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)</c>, one header blob
/// (without the 8-byte magic) per row (rpm's <c>lib/backend/sqlite.c</c>). The other tables are indexes rebuilt from the blobs.
/// </summary>
/// <remarks>
/// SQLite reads files, so the content is copied to a private temporary file, opened read-only without connection
/// pooling, and deleted afterwards. A database left in WAL mode is read as of its main file (the -wal file is not
/// part of what we were handed).
/// </remarks>
internal static class RpmSqliteReader
{
    public static RpmDatabaseContent Read(ReadOnlySpan<byte> head, Stream rest, string source)
    {
        var dir = Directory.CreateTempSubdirectory("footprint-rpmdb-");
        try
        {
            var path = Path.Combine(dir.FullName, "rpmdb.sqlite");
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(head);
                var buffer = new byte[81920];
                int n;
                while ((n = rest.Read(buffer)) > 0)
                {
                    if (file.Length + n > RpmDatabase.MaxDatabaseBytes)
                    {
                        throw new FootprintFormatException(source, file.Length, $"rpm database is larger than {RpmDatabase.MaxDatabaseBytes} bytes");
                    }

                    file.Write(buffer, 0, n);
                }
            }

            return ReadFile(path, source);
        }
        finally
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static RpmDatabaseContent ReadFile(string path, string source)
    {
        var sink = new RpmDatabase.Sink(source);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();

        using var connection = new SqliteConnection(connectionString);
        using var command = connection.CreateCommand();
        SqliteDataReader reader;
        try
        {
            connection.Open();
            command.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            reader = command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            throw new FootprintFormatException(source, null, $"cannot read table Packages(hnum, blob): {e.Message}", e);
        }

        using (reader)
        {
            long hnum = -1;
            while (true)
            {
                try
                {
                    if (!reader.Read())
                    {
                        break;
                    }

                    hnum = reader.GetInt64(0);
                    if (reader.IsDBNull(1) || reader.GetValue(1) is not byte[] blob)
                    {
                        sink.Unknown(hnum, $"Packages row hnum={hnum}: blob is not a BLOB");
                        continue;
                    }

                    sink.Blob(blob, hnum, $"Packages row hnum={hnum}");
                }
                catch (SqliteException e)
                {
                    // A corrupt b-tree ends the scan; what was read so far stands.
                    sink.Unknown(hnum, $"Packages rows after hnum={hnum}: {e.Message}");
                    break;
                }
            }
        }

        return new RpmDatabaseContent(RpmDatabaseFormat.Sqlite, sink.Headers, sink.Unknowns);
    }
}
