using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Microsoft.Data.Sqlite;

namespace Footprint.Advisories.Database;

/// <summary>
/// The local advisory database: one SQLite file (by default $XDG_DATA_HOME/footprint/advisories.db). Statements
/// are indexed by (distro, release, source package), so a lookup reads only that package's rows. It records the
/// data snapshot (each feed's key, file, SHA-256, size, data date and import time) and per distro release which
/// feeds cover it. An import is one transaction over all its files: all land or none does; a feed already held
/// with the same digest is left as it is, a newer copy replaces the old one's statements.
/// </summary>
public sealed class AdvisoryDatabase : IDisposable
{
    public const string FileName = "advisories.db";

    /// <summary>Bumped when the tables change; a database of another schema is refused, not misread.</summary>
    public const int SchemaVersion = 1;

    private const int BusyTimeoutSeconds = 60;

    private readonly SqliteConnection _connection;

    private AdvisoryDatabase(string path, SqliteConnection connection)
    {
        FilePath = path;
        _connection = connection;
    }

    public string FilePath { get; }

    /// <summary>$XDG_DATA_HOME/footprint/advisories.db, else ~/.local/share/footprint/advisories.db; null when neither is known.</summary>
    public static string? DefaultPath()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "footprint", FileName);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "share", "footprint", FileName);
    }

    /// <summary>Opens the database, creating it (and its directory) unless <paramref name="create"/> is false.</summary>
    public static AdvisoryDatabase Open(string path, bool create = true)
    {
        if (!create && !File.Exists(path))
        {
            throw new FileNotFoundException($"no advisory database at {path} (run `footprint db import` or `footprint db update`)", path);
        }

        if (create)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Schema.Ensure(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new IOException($"{path}: not a usable advisory database: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new AdvisoryDatabase(path, connection);
    }

    /// <summary>Reads, checks and imports feed files in one transaction; bad input throws before anything is written.</summary>
    public IReadOnlyList<ImportedFeed> ImportFiles(IReadOnlyList<string> files, FeedLimits? limits = null, string advisoryYamlDistro = "wolfi")
    {
        var parsed = new List<(FeedBatch Batch, string Sha256, long Size)>();
        foreach (var file in files)
        {
            var batch = FeedImporter.Import(file, limits, advisoryYamlDistro);
            var (sha, size) = Digest(file);
            parsed.Add((batch, sha, size));
        }

        return Import(parsed);
    }

    /// <summary>Imports parsed batches in one transaction (see the type's remarks).</summary>
    public IReadOnlyList<ImportedFeed> Import(IReadOnlyList<(FeedBatch Batch, string Sha256, long Size)> batches)
    {
        var duplicate = batches.GroupBy(b => b.Batch.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"two files of one import are the same feed '{duplicate.Key}': {string.Join(", ", duplicate.Select(d => d.Batch.File))}");
        }

        var now = DateTimeOffset.UtcNow;
        var results = new List<ImportedFeed>();
        using var transaction = _connection.BeginTransaction();
        foreach (var (batch, sha, size) in batches)
        {
            results.Add(new ImportedFeed(batch, sha, size, Writer.Store(_connection, transaction, batch, sha, size, now)));
        }

        transaction.Commit();
        return results;
    }

    /// <summary>Every statement for <paramref name="sourcePackage"/> in exactly this release (an index lookup).</summary>
    public IReadOnlyList<Advisory> Find(DistroRelease release, string sourcePackage) => Checked("advisories", () => Reader.Find(_connection, release, sourcePackage));

    /// <summary>The feeds covering <paramref name="release"/>; none means not covered.</summary>
    public ReleaseCoverage Coverage(DistroRelease release) => Checked("coverage", () => Reader.Coverage(_connection, release));

    /// <summary>Coverage of every release any feed speaks for, ordered by distro and release.</summary>
    public IReadOnlyList<ReleaseCoverage> AllCoverage() => Checked("coverage", () => Reader.AllCoverage(_connection));

    /// <summary>The data snapshot: every feed held, ordered by key.</summary>
    public IReadOnlyList<FeedSnapshot> Snapshot() => Checked("feeds", () => Reader.Snapshot(_connection));

    /// <summary>SQLite's plan for <see cref="Find"/>, for the test that the lookup is indexed.</summary>
    internal string FindPlan() => Reader.FindPlan(_connection);

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// A read whose rows are not what this code writes (edited by hand, damaged, another tool's file of the same
    /// schema number) fails as bad input naming the database and table, never as a crash or a silently wrong value.
    /// </summary>
    private T Checked<T>(string table, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or JsonException or KeyNotFoundException
            or IndexOutOfRangeException or ArgumentException or OverflowException or SqliteException)
        {
            throw new FootprintFormatException(FilePath, null, $"table {table}: a row this footprint did not write: {e.Message}", e);
        }
    }

    public static (string Sha256, long Size) Digest(string file)
    {
        using var stream = File.OpenRead(file);
        var hash = SHA256.HashData(stream);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }
}
