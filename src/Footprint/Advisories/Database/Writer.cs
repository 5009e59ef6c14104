using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Microsoft.Data.Sqlite;

namespace Footprint.Advisories.Database;

/// <summary>Stores one feed batch inside the caller's transaction.</summary>
internal static class Writer
{
    public static ImportOutcome Store(SqliteConnection connection, SqliteTransaction transaction, FeedBatch batch, string sha256, long size, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, sha256 FROM feeds WHERE key = $key";
        command.Parameters.AddWithValue("$key", batch.Key);
        long? existing = null;
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                if (reader.GetString(1) == sha256)
                {
                    return ImportOutcome.Unchanged;
                }

                existing = reader.GetInt64(0);
            }
        }

        if (existing is { } old)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$id", old);
            command.CommandText = "DELETE FROM advisories WHERE feed_id = $id; DELETE FROM coverage WHERE feed_id = $id; DELETE FROM feeds WHERE id = $id;";
            command.ExecuteNonQuery();
        }

        command.Parameters.Clear();
        command.CommandText = """
            INSERT INTO feeds (key, kind, file, sha256, size, feed_date, imported_at, advisories, skipped)
            VALUES ($key, $kind, $file, $sha, $size, $date, $now, $count, $skipped) RETURNING id
            """;
        command.Parameters.AddWithValue("$key", batch.Key);
        command.Parameters.AddWithValue("$kind", batch.Kind.ToString());
        command.Parameters.AddWithValue("$file", batch.File);
        command.Parameters.AddWithValue("$sha", sha256);
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$date", (object?)ColumnCodec.Date(batch.FeedDate) ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", ColumnCodec.Date(now));
        command.Parameters.AddWithValue("$count", batch.Advisories.Count);
        command.Parameters.AddWithValue("$skipped", batch.SkippedRecords);
        var feedId = (long)command.ExecuteScalar()!;

        InsertAdvisories(connection, transaction, feedId, batch.Advisories);
        InsertCoverage(connection, transaction, feedId, batch);
        return existing is null ? ImportOutcome.Added : ImportOutcome.Replaced;
    }

    private static void InsertAdvisories(SqliteConnection connection, SqliteTransaction transaction, long feedId, IReadOnlyList<Advisory> advisories)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO advisories (feed_id, distro, release, package, id, aliases, state, triage, fixed, ranges, note,
                severity_level, severity_source, severity_raw, published, modified, origin_kind, origin_file, origin_path, origin_line)
            VALUES ($feed, $distro, $release, $package, $id, $aliases, $state, $triage, $fixed, $ranges, $note,
                $level, $source, $raw, $published, $modified, $okind, $ofile, $opath, $oline)
            """;
        string[] names = ["$feed", "$distro", "$release", "$package", "$id", "$aliases", "$state", "$triage", "$fixed", "$ranges", "$note",
            "$level", "$source", "$raw", "$published", "$modified", "$okind", "$ofile", "$opath", "$oline"];
        var p = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        p[0].SqliteType = SqliteType.Integer;
        p[19].SqliteType = SqliteType.Integer;
        insert.Prepare();
        foreach (var a in advisories)
        {
            object?[] values =
            [
                feedId, a.Release.Distro, a.Release.Release, a.SourcePackage, a.Id, ColumnCodec.Strings(a.Aliases), a.State.ToString(), a.Triage.ToString(),
                ColumnCodec.Strings(a.FixedVersions), ColumnCodec.Ranges(a.Ranges), a.Note, a.Severity?.Level.ToString(), a.Severity?.Source, a.Severity?.Raw,
                ColumnCodec.Date(a.Published), ColumnCodec.Date(a.Modified), a.Origin.Feed.ToString(), a.Origin.File, a.Origin.RecordPath, a.Origin.Line,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                p[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }
    }

    private static void InsertCoverage(SqliteConnection connection, SqliteTransaction transaction, long feedId, FeedBatch batch)
    {
        var counts = batch.Coverage.ToDictionary(r => r, _ => 0L);
        foreach (var a in batch.Advisories)
        {
            counts[a.Release] = counts.GetValueOrDefault(a.Release) + 1;
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO coverage (distro, release, feed_id, advisories) VALUES ($d, $r, $f, $n)";
        var d = insert.Parameters.Add("$d", SqliteType.Text);
        var r = insert.Parameters.Add("$r", SqliteType.Text);
        insert.Parameters.AddWithValue("$f", feedId);
        var n = insert.Parameters.Add("$n", SqliteType.Integer);
        foreach (var (release, count) in counts)
        {
            d.Value = release.Distro;
            r.Value = release.Release;
            n.Value = count;
            insert.ExecuteNonQuery();
        }
    }
}
