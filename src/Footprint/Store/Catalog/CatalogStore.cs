using Microsoft.Data.Sqlite;

namespace Footprint.Store.Catalog;

/// <summary>
/// The user's catalog of measured systems (`footprint catalog add`), kept in the same SQLite file as the layer cache
/// (<see cref="LayerCache.FileName"/>) in a table of its own, <c>catalog</c>: one row per entry name, its payload the
/// entry's JSON sealed with the cache's checksum (<see cref="PayloadWriter.Seal"/>), so a flipped byte or a row copied
/// under another name is caught on read. The store knows nothing of what an entry holds (that is Reports/Catalog, a
/// room above): it keeps bytes by name. The cache's own tables are not touched; the file is shared the way the cache
/// shares it (WAL journal, a busy timeout, one transaction per write).
/// </summary>
public sealed class CatalogStore
{
    /// <summary>Largest entry read back: an entry is a few hundred kilobytes (package and command lists); more is damage.</summary>
    public const long MaxEntryBytes = 64L << 20;

    private const int BusyTimeoutSeconds = 60;

    private const string CreateTable = "CREATE TABLE IF NOT EXISTS catalog(name TEXT PRIMARY KEY NOT NULL, payload BLOB NOT NULL);";

    private readonly string _connectionString;

    private CatalogStore(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = false,
        }.ToString();
    }

    /// <summary>The database file (the layer cache's).</summary>
    public string FilePath { get; }

    /// <summary>
    /// Opens (creating when needed) the catalog in <paramref name="directory"/>/layers.db. A file SQLite cannot read
    /// throws <see cref="IOException"/> naming it: unlike the cache, a catalog is the user's data and is never
    /// silently replaced here.
    /// </summary>
    public static CatalogStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var store = new CatalogStore(Path.Combine(Path.GetFullPath(directory), LayerCache.FileName));
        store.Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; " + CreateTable;
            command.ExecuteNonQuery();
            return 0;
        });
        return store;
    }

    /// <summary>Stores <paramref name="json"/> under <paramref name="name"/>, replacing an entry of that name.</summary>
    public void Put(string name, byte[] json)
    {
        var w = new PayloadWriter();
        w.Bytes(json);
        var payload = w.Seal(Context(name));
        Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO catalog(name, payload) VALUES($name, $payload)";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$payload", payload);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Removes the entry <paramref name="name"/>; false when there is none.</summary>
    public bool Remove(string name) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM catalog WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery();
    }) > 0;

    /// <summary>Every entry, by name (ordinal); a row whose checksum fails comes back with its damage instead of bytes.</summary>
    public IReadOnlyList<CatalogRow> List() => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, length(payload), payload FROM catalog ORDER BY name";
        using var reader = command.ExecuteReader();
        var rows = new List<CatalogRow>();
        while (reader.Read())
        {
            var name = reader.GetFieldType(0) == typeof(string) ? reader.GetString(0) : "?";
            var length = reader.IsDBNull(1) ? -1 : reader.GetInt64(1);
            if (length is < 0 or > MaxEntryBytes || reader.GetFieldType(2) != typeof(byte[]))
            {
                rows.Add(new CatalogRow(name, null, $"payload of {length} bytes"));
                continue;
            }

            try
            {
                var payload = PayloadReader.Open(Context(name), reader.GetFieldValue<byte[]>(2));
                var bytes = payload.Bytes().ToArray();
                rows.Add(payload.Remaining == 0 ? new CatalogRow(name, bytes, null) : new CatalogRow(name, null, "trailing bytes after the entry"));
            }
            catch (CacheCorruptException e)
            {
                rows.Add(new CatalogRow(name, null, e.Message));
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (IReadOnlyList<CatalogRow>)rows;
    });

    private static string Context(string name) => "catalog " + name;

    private T Run<T>(Func<SqliteConnection, T> operation)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA busy_timeout={BusyTimeoutSeconds * 1000};";
                pragma.ExecuteNonQuery();
            }

            return operation(connection);
        }
        catch (SqliteException e)
        {
            throw new IOException($"{FilePath}: the catalog store cannot be used ({e.Message})", e);
        }
    }
}
