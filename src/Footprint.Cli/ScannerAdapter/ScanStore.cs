using Microsoft.Data.Sqlite;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Scan states and results in SQLite (the one-node default): a job is `queued` when accepted, then `done` with the
/// artifact report's JSON or `failed` with a message. A pending job (with Harbor's authorization value, needed to pull
/// after a restart) sits in `jobs` until its result is stored, then is deleted in the same transaction; secure_delete
/// overwrites its bytes and the rollback journal (not WAL, whose frames would keep them) goes with each commit.
/// </summary>
internal sealed class ScanStore : IScanStore
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    public ScanStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            // Pending jobs hold registry credentials: readable by this user only.
            File.Create(path, 0, FileOptions.None).Dispose();
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        _db.Open();
        using (var pragma = _db.CreateCommand())
        {
            // Outside any transaction: journal_mode cannot change inside one.
            pragma.CommandText = "PRAGMA journal_mode=DELETE; PRAGMA secure_delete=ON";
            pragma.ExecuteNonQuery();
        }

        Execute("CREATE TABLE IF NOT EXISTS scans (id TEXT PRIMARY KEY, artifact TEXT NOT NULL, state TEXT NOT NULL, report BLOB, error TEXT)");
        Execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, url TEXT NOT NULL, authorization TEXT, repository TEXT NOT NULL, digest TEXT NOT NULL, tag TEXT, mime_type TEXT NOT NULL)");
    }

    public void Accept(ScanJob job, string artifactJson) => Execute(
        "INSERT INTO scans (id, artifact, state) VALUES ($id, $artifact, 'queued'); "
        + "INSERT INTO jobs VALUES ($id, $url, $auth, $repository, $digest, $tag, $mime)",
        ("$id", job.Id), ("$artifact", artifactJson), ("$url", job.RegistryUrl), ("$auth", (object?)job.Authorization ?? DBNull.Value),
        ("$repository", job.Repository), ("$digest", job.Digest), ("$tag", (object?)job.Tag ?? DBNull.Value), ("$mime", job.MimeType));

    public void Complete(string id, byte[] report) => Execute(
        "UPDATE scans SET state = 'done', report = $report WHERE id = $id AND state = 'queued'; DELETE FROM jobs WHERE id = $id", ("$id", id), ("$report", report));

    public void Fail(string id, string message) => Execute(
        "UPDATE scans SET state = 'failed', error = $error WHERE id = $id AND state = 'queued'; DELETE FROM jobs WHERE id = $id", ("$id", id), ("$error", message));

    /// <summary>The pending job (one node keeps no attempt count: a job runs again only after a restart).</summary>
    public ScanJob? Begin(string id, string worker) => Jobs("SELECT id, url, authorization, repository, digest, tag, mime_type FROM jobs WHERE id = $id", id).FirstOrDefault();

    /// <summary>Jobs accepted and not finished (by a process that stopped): queued again at start.</summary>
    public IReadOnlyList<ScanJob> Pending() => Jobs("SELECT id, url, authorization, repository, digest, tag, mime_type FROM jobs", null);

    private List<ScanJob> Jobs(string sql, string? id)
    {
        lock (_lock)
        {
            using var command = _db.CreateCommand();
            command.CommandText = sql;
            if (id is not null)
            {
                command.Parameters.AddWithValue("$id", id);
            }

            using var reader = command.ExecuteReader();
            var jobs = new List<ScanJob>();
            while (reader.Read())
            {
                jobs.Add(new ScanJob(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6)));
            }

            return jobs;
        }
    }

    public StoredScan? Find(string id)
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

            return new StoredScan(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader[2], reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    public void Dispose() => _db.Dispose();

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_lock)
        {
            // Several statements are one transaction: a job is never pending without its scan row, nor done and pending.
            using var transaction = _db.BeginTransaction();
            using var command = _db.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
