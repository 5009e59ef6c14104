using Npgsql;

namespace Footprint.Tests.TestSupport;

/// <summary>A Redis server and a PostgreSQL database for `footprint serve --redis --postgres`, and what the tests read back from them.</summary>
internal sealed class FleetBackend(RedisServer redis, string postgres)
{
    public RedisServer Redis => redis;

    public string Postgres => postgres;

    /// <summary>The serve arguments that select this backend.</summary>
    public string[] Arguments => ["--redis", redis.Configuration, "--postgres", postgres];

    /// <summary>Every scan row: id, state, attempts, worker.</summary>
    public List<(string Id, string State, int Attempts, string? Worker)> Scans()
    {
        var rows = new List<(string, string, int, string?)>();
        using var connection = new NpgsqlConnection(postgres);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT id, state, attempts, worker FROM footprint_scans ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>Every value in the store's tables as text (for greps for a secret).</summary>
    public string Dump()
    {
        using var connection = new NpgsqlConnection(postgres);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM (SELECT s::text AS t FROM footprint_scans s "
            + "UNION ALL SELECT j::text FROM footprint_jobs j) x", connection);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>An integer reply of a Redis command (XLEN, XPENDING count...).</summary>
    public long RedisNumber(string command)
    {
        var reply = redis.Command(command) ?? throw new InvalidOperationException("redis-server is not answering");
        return reply.StartsWith(':') ? long.Parse(reply[1..]) : throw new InvalidOperationException($"{command}: {reply}");
    }
}
