using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Footprint.Advisories.Database;

/// <summary>The tables (docs/advisories.md "Database"), created on first open.</summary>
internal static class Schema
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS feeds (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, file TEXT NOT NULL,
            sha256 TEXT NOT NULL, size INTEGER NOT NULL, feed_date TEXT, imported_at TEXT NOT NULL,
            advisories INTEGER NOT NULL, skipped INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS coverage (
            distro TEXT NOT NULL, release TEXT NOT NULL, feed_id INTEGER NOT NULL, advisories INTEGER NOT NULL,
            PRIMARY KEY (distro, release, feed_id));
        CREATE INDEX IF NOT EXISTS coverage_by_feed ON coverage (feed_id);
        CREATE TABLE IF NOT EXISTS advisories (
            feed_id INTEGER NOT NULL, distro TEXT NOT NULL, release TEXT NOT NULL, package TEXT NOT NULL,
            id TEXT NOT NULL, aliases TEXT NOT NULL, state TEXT NOT NULL, triage TEXT NOT NULL, fixed TEXT NOT NULL,
            ranges TEXT NOT NULL, note TEXT, severity_level TEXT, severity_source TEXT, severity_raw TEXT,
            published TEXT, modified TEXT, origin_kind TEXT NOT NULL, origin_file TEXT NOT NULL,
            origin_path TEXT NOT NULL, origin_line INTEGER);
        CREATE INDEX IF NOT EXISTS advisories_by_package ON advisories (distro, release, package);
        CREATE INDEX IF NOT EXISTS advisories_by_feed ON advisories (feed_id);
        """;

    public static void Ensure(SqliteConnection connection, string path)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = Create;
            create.ExecuteNonQuery();
        }

        using (var version = connection.CreateCommand())
        {
            version.Transaction = transaction;
            version.CommandText = "SELECT value FROM meta WHERE key = 'schema'";
            var held = version.ExecuteScalar() as string;
            var expected = AdvisoryDatabase.SchemaVersion.ToString(CultureInfo.InvariantCulture);
            if (held is null)
            {
                version.CommandText = "INSERT INTO meta (key, value) VALUES ('schema', $v)";
                version.Parameters.AddWithValue("$v", expected);
                version.ExecuteNonQuery();
            }
            else if (held != expected)
            {
                throw new IOException($"{path}: advisory database schema {held}, this footprint reads {expected}; remove the file and import again");
            }
        }

        transaction.Commit();
    }
}
