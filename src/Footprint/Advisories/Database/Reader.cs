using Footprint.Advisories.Model;
using Microsoft.Data.Sqlite;

namespace Footprint.Advisories.Database;

/// <summary>The queries: statements by (distro, release, source package), coverage, snapshot.</summary>
internal static class Reader
{
    private const string FindSql = """
        SELECT id, aliases, state, triage, fixed, ranges, note, severity_level, severity_source, severity_raw, published, modified,
               origin_kind, origin_file, origin_path, origin_line
        FROM advisories WHERE distro = $d AND release = $r AND package = $p ORDER BY id, origin_kind, origin_path
        """;

    public static List<Advisory> Find(SqliteConnection connection, DistroRelease release, string package)
    {
        using var command = connection.CreateCommand();
        command.CommandText = FindSql;
        command.Parameters.AddWithValue("$d", release.Distro);
        command.Parameters.AddWithValue("$r", release.Release);
        command.Parameters.AddWithValue("$p", package);
        using var reader = command.ExecuteReader();
        var list = new List<Advisory>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var severity = Text(7) is { } level ? new AdvisorySeverity(ColumnCodec.Name<SeverityLevel>(level), Text(8)!, Text(9)!) : null;
            var origin = new AdvisoryOrigin(ColumnCodec.Name<FeedKind>(reader.GetString(12)), reader.GetString(13), reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetInt64(15));
            list.Add(new Advisory(reader.GetString(0), ColumnCodec.Strings(reader.GetString(1)), release, package,
                ColumnCodec.Name<FixState>(reader.GetString(2)), ColumnCodec.Strings(reader.GetString(4)), ColumnCodec.Ranges(reader.GetString(5)),
                ColumnCodec.Name<DistroTriage>(reader.GetString(3)), Text(6), severity, ColumnCodec.Date(Text(10)), ColumnCodec.Date(Text(11)), origin));
        }

        return list;
    }

    public static string FindPlan(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + FindSql;
        command.Parameters.AddWithValue("$d", "");
        command.Parameters.AddWithValue("$r", "");
        command.Parameters.AddWithValue("$p", "");
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }

    public static ReleaseCoverage Coverage(SqliteConnection connection, DistroRelease release)
        => ReadCoverage(connection, "WHERE c.distro = $d AND c.release = $r", release).FirstOrDefault() ?? new ReleaseCoverage(release, []);

    public static List<ReleaseCoverage> AllCoverage(SqliteConnection connection) => ReadCoverage(connection, "", null);

    private static List<ReleaseCoverage> ReadCoverage(SqliteConnection connection, string where, DistroRelease? release)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c.distro, c.release, f.key, f.kind, f.feed_date, f.imported_at, c.advisories
            FROM coverage c JOIN feeds f ON f.id = c.feed_id {where}
            ORDER BY c.distro, c.release, f.key
            """;
        if (release is { } r)
        {
            command.Parameters.AddWithValue("$d", r.Distro);
            command.Parameters.AddWithValue("$r", r.Release);
        }

        var result = new List<ReleaseCoverage>();
        using var reader = command.ExecuteReader();
        var current = default(DistroRelease?);
        var feeds = new List<CoveringFeed>();
        while (reader.Read())
        {
            var key = new DistroRelease(reader.GetString(0), reader.GetString(1));
            if (current is { } c && c != key)
            {
                result.Add(new ReleaseCoverage(c, feeds));
                feeds = [];
            }

            current = key;
            feeds.Add(new CoveringFeed(reader.GetString(2), ColumnCodec.Name<FeedKind>(reader.GetString(3)),
                ColumnCodec.Date(reader.IsDBNull(4) ? null : reader.GetString(4)), ColumnCodec.Date(reader.GetString(5))!.Value, reader.GetInt64(6)));
        }

        if (current is { } last)
        {
            result.Add(new ReleaseCoverage(last, feeds));
        }

        return result;
    }

    public static List<FeedSnapshot> Snapshot(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, kind, file, sha256, size, feed_date, imported_at, advisories, skipped FROM feeds ORDER BY key";
        using var reader = command.ExecuteReader();
        var list = new List<FeedSnapshot>();
        while (reader.Read())
        {
            list.Add(new FeedSnapshot(reader.GetString(0), ColumnCodec.Name<FeedKind>(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                ColumnCodec.Date(reader.IsDBNull(5) ? null : reader.GetString(5)), ColumnCodec.Date(reader.GetString(6))!.Value, reader.GetInt64(7), reader.GetInt64(8)));
        }

        return list;
    }
}
