using Npgsql;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Scan states, results and pending jobs in PostgreSQL, shared by every instance of a fleet (docs/fleet.md). The
/// tables mirror the SQLite store's, plus what several workers need: `running`, an attempt count, and which worker
/// ran the scan. A result is stored once: the update that finishes a scan only matches a scan not yet finished, in the
/// same transaction that deletes the pending job (and with it Harbor's authorization value).
/// </summary>
internal sealed class PostgresScanStore : IScanStore
{
    /// <summary>A scan begun this many times and never finished (its worker died each time) fails instead of running again.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Serialises the schema creation of instances starting together (CREATE TABLE IF NOT EXISTS races otherwise).</summary>
    private const long SchemaLockKey = 0x466f6f7470726e74; // "Footprnt"

    private const string JobColumns = "j.id, j.url, j.registry_authorization, j.repository, j.digest, j.tag, j.mime_type";

    private readonly NpgsqlDataSource _db;

    /// <summary>Connects and creates the tables if needed; the message of a failure never holds the connection string.</summary>
    public PostgresScanStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote the string, password included.
            throw new ArgumentException("--postgres is not a valid PostgreSQL connection string (keywords Host, Port, Database, Username, Password)");
        }

        // The slim builder: plain types only (text, integer, bytea), no reflection-based mappings, so native AOT publishes it.
        _db = new NpgsqlSlimDataSourceBuilder(parsed.ConnectionString).Build();
        try
        {
            using var connection = _db.OpenConnection();
            using var transaction = connection.BeginTransaction();
            Run(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})");
            Run(connection, transaction, "CREATE TABLE IF NOT EXISTS footprint_scans (id text PRIMARY KEY, artifact text NOT NULL, state text NOT NULL, "
                + "report bytea, error text, attempts integer NOT NULL DEFAULT 0, worker text, accepted_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)");
            Run(connection, transaction, "CREATE TABLE IF NOT EXISTS footprint_jobs (id text PRIMARY KEY REFERENCES footprint_scans (id), url text NOT NULL, "
                + "registry_authorization text, repository text NOT NULL, digest text NOT NULL, tag text, mime_type text NOT NULL)");
            transaction.Commit();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            _db.Dispose();
            // The server's own message (e.g. "password authentication failed for user x") never quotes the password.
            var reason = e is PostgresException server ? $"{server.SqlState}: {server.MessageText}" : e.Message.ReplaceLineEndings(" ");
            throw new IOException($"cannot use PostgreSQL at {parsed.Host}:{parsed.Port} database {parsed.Database}: {reason}");
        }
    }

    public void Accept(ScanJob job, string artifactJson) => InTransaction((connection, transaction) =>
    {
        Run(connection, transaction, "INSERT INTO footprint_scans (id, artifact, state) VALUES ($1, $2, 'queued')", job.Id, artifactJson);
        Run(connection, transaction, "INSERT INTO footprint_jobs VALUES ($1, $2, $3, $4, $5, $6, $7)",
            job.Id, job.RegistryUrl, job.Authorization, job.Repository, job.Digest, job.Tag, job.MimeType);
        return 0;
    });

    public ScanJob? Begin(string id, string worker) => InTransaction((connection, transaction) =>
    {
        // The row lock serialises two Begins of one scan (a redelivery racing a slow first run): each sees the other's count.
        int attempts;
        using (var select = Command(connection, transaction, "SELECT state, attempts FROM footprint_scans WHERE id = $1 FOR UPDATE", id))
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read() || reader.GetString(0) is "done" or "failed")
            {
                return null;
            }

            attempts = reader.GetInt32(1);
        }

        if (attempts >= MaxAttempts)
        {
            Finish(connection, transaction, id, "failed", null, $"the scan was started {attempts} times and never finished (its worker stopped each time)");
            return null;
        }

        Run(connection, transaction, "UPDATE footprint_scans SET state = 'running', attempts = attempts + 1, worker = $2 WHERE id = $1", id, worker);
        return Jobs(connection, transaction, "WHERE j.id = $1", id).FirstOrDefault();
    });

    public void Complete(string id, byte[] report) => InTransaction((connection, transaction) => Finish(connection, transaction, id, "done", report, null));

    public void Fail(string id, string message) => InTransaction((connection, transaction) => Finish(connection, transaction, id, "failed", null, message));

    public IReadOnlyList<ScanJob> Pending() => InTransaction((connection, transaction) => Jobs(connection, transaction, string.Empty));

    public StoredScan? Find(string id)
    {
        using var connection = _db.OpenConnection();
        using var command = Command(connection, null, "SELECT state, artifact, report, error FROM footprint_scans WHERE id = $1", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new StoredScan(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader[2], reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    public void Dispose() => _db.Dispose();

    /// <summary>The outcome, stored only if the scan is not finished yet (exactly one outcome per scan id), and the pending job deleted.</summary>
    private static int Finish(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, string state, byte[]? report, string? error)
    {
        var stored = Run(connection, transaction, "UPDATE footprint_scans SET state = $2, report = $3, error = $4, finished_at = now() "
            + "WHERE id = $1 AND state IN ('queued', 'running')", id, state, report, error);
        Run(connection, transaction, "DELETE FROM footprint_jobs WHERE id = $1", id);
        return stored;
    }

    private static List<ScanJob> Jobs(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, params object?[] parameters)
    {
        using var command = Command(connection, transaction, $"SELECT {JobColumns} FROM footprint_jobs j {where}", parameters);
        using var reader = command.ExecuteReader();
        var jobs = new List<ScanJob>();
        while (reader.Read())
        {
            jobs.Add(new ScanJob(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6)));
        }

        return jobs;
    }

    private T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work)
    {
        using var connection = _db.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    private static int Run(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            // Positional ($1, $2...); a null is sent as SQL NULL of the column's type.
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
