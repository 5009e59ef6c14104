using Npgsql;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// A PostgreSQL cluster of Debian's postgresql package (initdb and pg_ctl from /usr/lib/postgresql/N/bin), in a scratch
/// directory, on 127.0.0.1 and a free port, password authentication over TCP. initdb and postgres refuse to run as
/// root: as root (CI and here) they run as the package's `postgres` user, which owns the directory. Stopped and
/// removed when disposed.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    public const string Password = "pg-pw-never-printed-8c2e";

    private readonly TempDir _dir = new();
    private readonly string _bin;
    private readonly string _data;
    private int _databases;

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderBy(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).LastOrDefault() ?? string.Empty
            : string.Empty;
        if (_bin.Length == 0)
        {
            _dir.Dispose();
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql (test.sh does)");
        }

        _data = _dir.File("data");
        var passwordFile = _dir.File("password");
        File.WriteAllText(passwordFile, Password + "\n");
        if (Environment.UserName == "root")
        {
            Tool.Output("chown", "-R", "postgres:", _dir.Path);
        }

        Port = HttpFront.FreePort();
        try
        {
            AsOwner("initdb", "-D", _data, "-U", "postgres", "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8");
            File.Delete(passwordFile);
            AsOwner("pg_ctl", "-D", _data, "-l", _dir.File("postgres.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {_dir.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start");
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(_dir.File("postgres.log")) ? File.ReadAllText(_dir.File("postgres.log")) : string.Empty;
            Dispose();
            throw new InvalidOperationException($"cannot start PostgreSQL from {_bin}: {e.Message}\n{log}");
        }
    }

    public int Port { get; }

    /// <summary>A new, empty database; the connection string (password included) for `--postgres`.</summary>
    public string CreateDatabase()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database};Pooling=false";

    public void Dispose()
    {
        try
        {
            AsOwner("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Not started: nothing to stop.
        }

        _dir.Dispose();
    }

    private void AsOwner(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (Environment.UserName == "root")
        {
            Tool.Output("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Tool.Output(path, args);
        }
    }
}
