using Microsoft.Data.Sqlite;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Scan states and results in SQLite (the one-node default): a job is `queued` when accepted, then `done` with the
/// artifact report's JSON or `failed` with a message. Never the job's Authorization value.
/// </summary>
internal sealed class ScanStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    public ScanStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL");
        Execute("CREATE TABLE IF NOT EXISTS scans (id TEXT PRIMARY KEY, artifact TEXT NOT NULL, state TEXT NOT NULL, report BLOB, error TEXT)");
    }

    public void Accept(string id, string artifactJson) => Execute("INSERT INTO scans (id, artifact, state) VALUES ($id, $artifact, 'queued')", ("$id", id), ("$artifact", artifactJson));

    public void Complete(string id, byte[] report) => Execute("UPDATE scans SET state = 'done', report = $report WHERE id = $id", ("$id", id), ("$report", report));

    public void Fail(string id, string message) => Execute("UPDATE scans SET state = 'failed', error = $error WHERE id = $id", ("$id", id), ("$error", message));

    /// <summary>The scan's state, its artifact JSON, and its report or error; null for an unknown id.</summary>
    public (string State, string Artifact, byte[]? Report, string? Error)? Find(string id)
    {
        lock (_lock)
        {
            using var command = _db.CreateCommand();
            command.CommandText = "SELECT state, artifact, report, error FROM scans WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader[2], reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    public void Dispose() => _db.Dispose();

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_lock)
        {
            using var command = _db.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }
    }
}
