using Footprint.FileSystem;
using Footprint.Walk;
using Microsoft.Data.Sqlite;

namespace Footprint.Store;

/// <summary>
/// The per-layer cache in one SQLite file (docs/cache.md). Rows, all keyed by the layer's diffID and
/// <see cref="TreeCodec.FormatVersion"/>: the tree (<c>trees</c>), the files' digests when they were hashed
/// (<c>digests</c>), the push size of an uncompressed layer (<c>pushes</c>), per analyzer (id, version) the files it
/// asked content of and how much (<c>needs</c>), and per file the content captured (<c>captures</c>), whose bytes are
/// stored once by SHA-256 (<c>contents</c>), shared by analyzers, layers and images.
/// Several processes may share the file: WAL journal, a busy timeout, one IMMEDIATE transaction per store, rows
/// inserted with INSERT OR IGNORE (the same diffID always yields the same rows). Every payload carries a checksum
/// checked on read; a damaged row is dropped, a damaged file replaced, with a <see cref="RebuiltCode"/> warning.
/// </summary>
public sealed class LayerCache : ILayerCache, IDisposable
{
    public const string RebuiltCode = "cache-rebuilt";

    public const string FileName = "layers.db";

    /// <summary>Largest row read back (a tree of a few million files); anything larger is damage.</summary>
    private const long MaxPayloadBytes = 1L << 30;

    private const int BusyTimeoutSeconds = 60;

    private readonly string _connectionString;
    private readonly object _rebuildLock = new();
    private readonly List<FsWarning> _warnings = [];
    private readonly BackgroundWrites _writes = new();
    private long _hits;
    private long _misses;
    private long _stores;
    private long _unchangedBlobs;
    private long _reportHits;
    private long _reportMisses;

    private LayerCache(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>Layers rebuilt from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Layers looked up and not found (or found incomplete, or damaged).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Layers stored (waits for the stores still being written).</summary>
    public long Stores
    {
        get
        {
            _writes.Flush();
            return Interlocked.Read(ref _stores);
        }
    }

    /// <summary>
    /// The cache directory by default: $XDG_CACHE_HOME/footprint, else ~/.cache/footprint (XDG Base Directory
    /// Specification); null when neither can be found.
    /// </summary>
    public static string? DefaultDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "footprint");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "footprint");
    }

    /// <summary>Opens (creating when needed) the cache in <paramref name="directory"/>; a damaged file is replaced (see <see cref="TakeWarnings"/>).</summary>
    public static LayerCache Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var cache = new LayerCache(Path.Combine(Path.GetFullPath(directory), FileName));
        cache.Initialize();
        return cache;
    }

    public IReadOnlyList<FsWarning> TakeWarnings()
    {
        lock (_warnings)
        {
            var taken = _warnings.ToList();
            _warnings.Clear();
            return taken;
        }
    }

    public LayerRecorder Record(LayerCacheRequest request) => new(request);

    public CachedLayer? TryLoad(LayerCacheRequest request, Func<bool> confirmBlob)
    {
        _writes.Flush();
        CachedLayer? hit = null;
        if (Cacheable(request))
        {
            hit = Guard(request, () => Load(request, confirmBlob));
        }

        Interlocked.Increment(ref hit is null ? ref _misses : ref _hits);
        return hit;
    }

    public void Save(LayerRecorder recorder, FileTree tree, IReadOnlyList<FsWarning> warnings, PushSize? pushSize)
    {
        var request = recorder.Request;
        if (!Cacheable(request))
        {
            return;
        }

        LayerRows rows;
        try
        {
            rows = LayerRows.Encode(recorder, LayerKey(request), tree, warnings, pushSize);
        }
        catch (System.Text.EncoderFallbackException)
        {
            // A name that is not valid UTF-16 cannot be stored unchanged: such a layer is simply not cached.
            return;
        }

        // Encoded here (the tree and its captured bytes change once the caller goes on); written behind it.
        _writes.Queue(() =>
        {
            if (Guard(request, () => Write(request, rows)))
            {
                Interlocked.Increment(ref _stores);
            }
        });
    }

    /// <summary>Waits for the stores still being written (their problems join <see cref="TakeWarnings"/>).</summary>
    public void Flush() => _writes.Flush();

    public void Dispose()
    {
        try
        {
            _writes.Flush();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// Whether a read verified that the blob <paramref name="blobKey"/> of <paramref name="storedBytes"/> bytes
    /// expands to <paramref name="diffId"/> (for a caller that trusts a stored result only for blobs it can vouch for).
    /// </summary>
    public bool IsVerifiedBlob(string blobKey, string diffId, bool interpretWhiteouts, long storedBytes)
    {
        var request = new LayerCacheRequest(diffId, 0, string.Empty, interpretWhiteouts, [], false, false, blobKey, storedBytes);
        _writes.Flush();
        return Guard(request, () =>
        {
            using var connection = Connect();
            return KnownBlob(connection, request, LayerKey(request));
        });
    }

    /// <summary>
    /// Whether a hit may trust a blob whose file is unchanged since a read verified it (docs/cache.md); false makes every
    /// hit hash its blob again (`--rehash`).
    /// </summary>
    public bool TrustUnchangedBlobs { get; set; } = true;

    /// <summary>Blobs trusted without hashing because their file was unchanged (<see cref="IsUnchangedBlob"/>).</summary>
    public long UnchangedBlobs => Interlocked.Read(ref _unchangedBlobs);

    /// <summary>How long before a stamp was taken the file must have last changed for the stamp to count (tests shorten it).</summary>
    internal long RacyMarginNanoseconds { get; set; } = StampRows.DefaultRacyMarginNanoseconds;

    public bool IsUnchangedBlob(string blobKey, FileStamp stamp)
    {
        _writes.Flush();
        var unchanged = TrustUnchangedBlobs && Guard(StampRequest(blobKey), () =>
        {
            using var connection = Connect();
            return StampRows.Matches(connection, blobKey, stamp, RacyMarginNanoseconds);
        });
        if (unchanged)
        {
            Interlocked.Increment(ref _unchangedBlobs);
        }

        return unchanged;
    }

    public void RememberVerifiedBlob(string blobKey, FileStamp before, FileStamp after)
        => _writes.Queue(() => Guard(StampRequest(blobKey), () =>
        {
            using var connection = Connect();
            return StampRows.Put(connection, blobKey, before, after, RacyMarginNanoseconds);
        }));

    /// <summary>
    /// A whole report stored under <paramref name="key"/> (what it depends on, hashed by the caller), checksum
    /// checked, and that <paramref name="accept"/> accepts (the caller's checks of the artifact at hand); null otherwise.
    /// </summary>
    public byte[]? TryGetReport(string key, Func<byte[], bool> accept)
    {
        var request = ReportRequest(key);
        _writes.Flush();
        var payload = Guard(request, () =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT length(payload), payload FROM reports WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return ReadPayload(command) is { } bytes ? PayloadReader.Open("reports " + key, bytes).Bytes().ToArray() : null;
        });
        if (payload is not null && !accept(payload))
        {
            payload = null;
        }

        Interlocked.Increment(ref payload is null ? ref _reportMisses : ref _reportHits);
        return payload;
    }

    /// <summary>
    /// Stores the whole report <paramref name="report"/> makes, unless it makes none, behind the caller (best effort);
    /// <see cref="Flush"/> and <see cref="Dispose"/> wait for it.
    /// </summary>
    public void PutReportLater(string key, Func<byte[]?> report)
        => _writes.Queue(() =>
        {
            if (report() is { } bytes)
            {
                PutReport(key, bytes);
            }
        });

    /// <summary>Stores a whole report (best effort).</summary>
    public void PutReport(string key, byte[] report)
    {
        var w = new PayloadWriter();
        w.Bytes(report);
        var payload = w.Seal("reports " + key);
        Guard(ReportRequest(key), () =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO reports(key, payload) VALUES($key, $payload)";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$payload", payload);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Whole reports served from the cache.</summary>
    public long ReportHits => Interlocked.Read(ref _reportHits);

    /// <summary>Whole reports looked up and not found.</summary>
    public long ReportMisses => Interlocked.Read(ref _reportMisses);

    /// <summary>A damaged report row is dropped like a layer's rows: under its key (DropLayer deletes by this "layer").</summary>
    private static LayerCacheRequest ReportRequest(string key) => new("report " + key, 0, string.Empty, false, [], false, false, string.Empty, 0);

    /// <summary>A damaged stamp row is dropped with the blob's other stamps (DropLayer deletes by this "layer").</summary>
    private static LayerCacheRequest StampRequest(string blobKey) => new("stamp " + blobKey, 0, string.Empty, false, [], false, false, blobKey, 0);

    /// <summary>Analyzer ids must be unique to key their entries.</summary>
    private static bool Cacheable(LayerCacheRequest request)
        => request.Analyzers.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count() == request.Analyzers.Count;

    internal static string LayerKey(LayerCacheRequest request) => request.DiffId + (request.InterpretWhiteouts ? "/image" : "/plain");

    /// <summary>Creates the tables; a damaged file is replaced once (a file that stays damaged throws <see cref="IOException"/>).</summary>
    private void Initialize(bool afterRebuild = false)
    {
        var reason = SqliteFileHeader.Damage(FilePath);
        if (reason is null)
        {
            try
            {
                using var connection = Connect();
                Execute(connection, """
                    PRAGMA journal_mode=WAL;
                    CREATE TABLE IF NOT EXISTS reports(key TEXT PRIMARY KEY NOT NULL, payload BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS blobs(blob TEXT NOT NULL, layer TEXT NOT NULL, bytes INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(blob, layer, bytes));
                    CREATE TABLE IF NOT EXISTS trees(layer TEXT NOT NULL, format INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(layer, format));
                    CREATE TABLE IF NOT EXISTS digests(layer TEXT NOT NULL, format INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(layer, format));
                    CREATE TABLE IF NOT EXISTS pushes(layer TEXT NOT NULL, format INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(layer, format));
                    CREATE TABLE IF NOT EXISTS captures(layer TEXT NOT NULL, format INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY(layer, format));
                    CREATE TABLE IF NOT EXISTS needs(layer TEXT NOT NULL, format INTEGER NOT NULL, analyzer TEXT NOT NULL, version INTEGER NOT NULL, payload BLOB NOT NULL,
                        PRIMARY KEY(layer, format, analyzer, version));
                    CREATE TABLE IF NOT EXISTS layer_contents(layer TEXT NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(layer, hash)) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS contents(hash BLOB PRIMARY KEY NOT NULL, bytes BLOB NOT NULL);
                    """ + StampRows.CreateTable);
                return;
            }
            catch (SqliteException e) when (IsDamage(e))
            {
                reason = e.Message;
            }
        }

        if (afterRebuild)
        {
            throw new IOException($"the layer cache {FilePath} is damaged ({reason}) and could not be replaced");
        }

        DeleteDamaged(reason);
        Initialize(afterRebuild: true);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // OFF: no fsync at all. A process crash still loses nothing SQLite committed; an OS crash or power loss may lose
        // rows or damage the file, and both are survivable here: every row carries a checksum over its key and body,
        // contents are checked against their hash, and a file SQLite finds damaged is rebuilt (docs/cache.md). NORMAL's
        // checkpoint fsyncs (ten for a Debian layer, 10-30 ms each on the bench machine) were most of what storing a
        // layer added to a first run. The catalog's own connections keep SQLite's default, FULL.
        Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutSeconds * 1000}; PRAGMA synchronous=OFF;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs a cache operation: a damaged row drops the layer's rows, a damaged file is replaced, both with a warning;
    /// any other database trouble (a lock held past the timeout, a read-only or full disk) only costs the cache.
    /// </summary>
    private T? Guard<T>(LayerCacheRequest request, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (CacheCorruptException e)
        {
            Warn($"an entry of the layer cache {FilePath} for layer {request.DiffId} was damaged ({e.Message}); it was dropped and rebuilt");
            DropLayer(request);
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            Rebuild(e.Message);
        }
        catch (SqliteException)
        {
        }
        catch (IOException)
        {
        }

        return default;
    }

    private static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 11 or 26; // SQLITE_CORRUPT, SQLITE_NOTADB

    private void Warn(string message)
    {
        lock (_warnings)
        {
            _warnings.Add(new FsWarning(RebuiltCode, message, FilePath, null, null));
        }
    }

    /// <summary>Replaces a damaged database file by an empty one: nothing in it is trusted.</summary>
    private void Rebuild(string reason)
    {
        lock (_rebuildLock)
        {
            DeleteDamaged(reason);
            try
            {
                Initialize(afterRebuild: true);
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                // Later operations fail the same way and only cost the cache.
            }
        }
    }

    private void DeleteDamaged(string reason)
    {
        lock (_rebuildLock)
        {
            Warn($"the layer cache {FilePath} was damaged ({reason}); it was deleted and is rebuilt");
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(FilePath + suffix);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private void DropLayer(LayerCacheRequest request)
    {
        try
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            if (request.DiffId.StartsWith("report ", StringComparison.Ordinal))
            {
                using var report = connection.CreateCommand();
                report.Transaction = transaction;
                report.CommandText = "DELETE FROM reports WHERE key = $key";
                report.Parameters.AddWithValue("$key", request.DiffId["report ".Length..]);
                report.ExecuteNonQuery();
            }

            if (request.DiffId.StartsWith("stamp ", StringComparison.Ordinal))
            {
                using var stamps = connection.CreateCommand();
                stamps.Transaction = transaction;
                stamps.CommandText = "DELETE FROM stamps WHERE blob = $blob";
                stamps.Parameters.AddWithValue("$blob", request.BlobKey);
                stamps.ExecuteNonQuery();
            }

            foreach (var table in new[] { "blobs", "trees", "digests", "pushes", "captures", "needs", "layer_contents" })
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"DELETE FROM {table} WHERE layer = $layer";
                command.Parameters.AddWithValue("$layer", LayerKey(request));
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            Rebuild(e.Message);
        }
        catch (SqliteException)
        {
        }
    }

    private CachedLayer? Load(LayerCacheRequest request, Func<bool> confirmBlob)
    {
        var layer = LayerKey(request);
        // No transaction: rows are written once and never change, except captures, which only grow.
        using var connection = Connect();
        if (!KnownBlob(connection, request, layer))
        {
            return null;
        }

        var treeBytes = Row(connection, "trees", layer);
        if (treeBytes is null)
        {
            return null;
        }

        var digestBytes = request.HashFiles ? Row(connection, "digests", layer) : null;
        var pushBytes = request.WantsPushSize ? Row(connection, "pushes", layer) : null;
        if ((request.HashFiles && digestBytes is null) || (request.WantsPushSize && pushBytes is null))
        {
            return null;
        }

        var needs = new List<byte[]>(request.Analyzers.Count);
        foreach (var analyzer in request.Analyzers)
        {
            if (NeedsRow(connection, layer, analyzer) is not { } row)
            {
                return null;
            }

            needs.Add(row);
        }

        // Every row is there: now the blob at hand must prove it is the verified one (hashing it, no decompression).
        if (!confirmBlob())
        {
            return null;
        }

        var warnings = new List<FsWarning>();
        var treeReader = PayloadReader.Open($"trees {layer}", treeBytes);
        var tree = Decode(ref treeReader, request, warnings, out var datas);
        if (digestBytes is not null)
        {
            LayerRows.ApplyDigests(PayloadReader.Open($"digests {layer}", digestBytes), datas);
        }

        // The content each file gets is what a fresh read would capture: the strongest need of the current analyzers.
        var need = new ContentNeed[datas.Length];
        for (var i = 0; i < needs.Count; i++)
        {
            LayerRows.MergeNeeds(PayloadReader.Open(LayerRows.NeedsContext(layer, request.Analyzers[i]), needs[i]), need);
        }

        if (need.Any(n => n != ContentNeed.None))
        {
            if (Row(connection, "captures", layer) is not { } captureBytes)
            {
                return null;
            }

            var captures = LayerRows.ReadCaptures(PayloadReader.Open($"captures {layer}", captureBytes), datas.Length);
            var contents = Contents(connection, layer);
            if (!LayerRows.ApplyContent(datas, need, captures, contents))
            {
                return null;
            }
        }

        var push = pushBytes is null ? null : LayerRows.ReadPush(PayloadReader.Open($"pushes {layer}", pushBytes));
        if (request.WantsExactPushSize && push is { Estimated: true })
        {
            // An estimate cannot answer `--exact-push-size`: read the layer and compress every byte.
            return null;
        }

        return new CachedLayer(tree, warnings, push);
    }

    private static FileTree Decode(ref PayloadReader reader, LayerCacheRequest request, List<FsWarning> warnings, out FileData[] datas)
    {
        var format = reader.Count();
        if (format != TreeCodec.FormatVersion)
        {
            throw new CacheCorruptException($"tree format {format} under key format {TreeCodec.FormatVersion}");
        }

        try
        {
            return TreeCodec.Decode(ref reader, request.LayerIndex, request.Location, request.InterpretWhiteouts, warnings, out datas);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or InvalidOperationException)
        {
            throw new CacheCorruptException($"tree: {e.Message}", e);
        }
    }

    private bool Write(LayerCacheRequest request, LayerRows rows)
    {
        var layer = LayerKey(request);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO blobs(blob, layer, bytes, payload) VALUES($blob, $layer, $bytes, $payload)";
            command.Parameters.AddWithValue("$blob", request.BlobKey);
            command.Parameters.AddWithValue("$layer", layer);
            command.Parameters.AddWithValue("$bytes", request.StoredBytes);
            command.Parameters.AddWithValue("$payload", new PayloadWriter().Seal(BlobContext(request, layer)));
            command.ExecuteNonQuery();
        }

        Insert(connection, transaction, "trees", layer, rows.Tree);
        if (rows.Digests is { } digests)
        {
            Insert(connection, transaction, "digests", layer, digests);
        }

        if (rows.Push is { } push)
        {
            Insert(connection, transaction, "pushes", layer, push);
        }

        for (var i = 0; i < request.Analyzers.Count; i++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO needs(layer, format, analyzer, version, payload) VALUES($layer, $format, $analyzer, $version, $payload)";
            command.Parameters.AddWithValue("$layer", layer);
            command.Parameters.AddWithValue("$format", TreeCodec.FormatVersion);
            command.Parameters.AddWithValue("$analyzer", request.Analyzers[i].Id);
            command.Parameters.AddWithValue("$version", request.Analyzers[i].Version);
            command.Parameters.AddWithValue("$payload", rows.Needs[i]);
            command.ExecuteNonQuery();
        }

        if (rows.Captures.Count > 0)
        {
            // Captures only grow: a read for other analyzers may have kept more of a file than this one.
            var merged = rows.Captures;
            if (Row(connection, "captures", layer, transaction) is { } existing)
            {
                try
                {
                    merged = LayerRows.Merge(LayerRows.ReadCaptures(PayloadReader.Open($"captures {layer}", existing), rows.DataCount), merged);
                }
                catch (CacheCorruptException)
                {
                    // Replaced below by this read's captures.
                }
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT OR REPLACE INTO captures(layer, format, payload) VALUES($layer, $format, $payload)";
                command.Parameters.AddWithValue("$layer", layer);
                command.Parameters.AddWithValue("$format", TreeCodec.FormatVersion);
                command.Parameters.AddWithValue("$payload", LayerRows.EncodeCaptures(merged, layer));
                command.ExecuteNonQuery();
            }

            using var content = connection.CreateCommand();
            content.Transaction = transaction;
            content.CommandText = "INSERT OR IGNORE INTO contents(hash, bytes) VALUES($hash, $bytes); INSERT OR IGNORE INTO layer_contents(layer, hash) VALUES($layer, $hash)";
            var hash = content.Parameters.Add("$hash", SqliteType.Blob);
            var bytes = content.Parameters.Add("$bytes", SqliteType.Blob);
            content.Parameters.AddWithValue("$layer", layer);
            foreach (var (key, value) in rows.Contents)
            {
                hash.Value = key;
                bytes.Value = value;
                content.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Whether a read verified that this blob (digest and size) expands to this diffID: a hit needs it, or an image
    /// whose config names a cached diffID for another blob would get that diffID's tree without its blob being read.
    /// </summary>
    private static bool KnownBlob(SqliteConnection connection, LayerCacheRequest request, string layer)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(payload), payload FROM blobs WHERE blob = $blob AND layer = $layer AND bytes = $bytes";
        command.Parameters.AddWithValue("$blob", request.BlobKey);
        command.Parameters.AddWithValue("$layer", layer);
        command.Parameters.AddWithValue("$bytes", request.StoredBytes);
        if (ReadPayload(command) is not { } payload)
        {
            return false;
        }

        var reader = PayloadReader.Open(BlobContext(request, layer), payload);
        return reader.Remaining == 0 ? true : throw new CacheCorruptException("blob row has a body");
    }

    private static string BlobContext(LayerCacheRequest request, string layer) => $"blobs {request.BlobKey} {layer} {request.StoredBytes} {TreeCodec.FormatVersion}";

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string layer, byte[] payload)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR IGNORE INTO {table}(layer, format, payload) VALUES($layer, $format, $payload)";
        command.Parameters.AddWithValue("$layer", layer);
        command.Parameters.AddWithValue("$format", TreeCodec.FormatVersion);
        command.Parameters.AddWithValue("$payload", payload);
        command.ExecuteNonQuery();
    }

    private static byte[]? Row(SqliteConnection connection, string table, string layer, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT length(payload), payload FROM {table} WHERE layer = $layer AND format = $format";
        command.Parameters.AddWithValue("$layer", layer);
        command.Parameters.AddWithValue("$format", TreeCodec.FormatVersion);
        return ReadPayload(command);
    }

    private static byte[]? NeedsRow(SqliteConnection connection, string layer, IAnalyzer analyzer)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(payload), payload FROM needs WHERE layer = $layer AND format = $format AND analyzer = $analyzer AND version = $version";
        command.Parameters.AddWithValue("$layer", layer);
        command.Parameters.AddWithValue("$format", TreeCodec.FormatVersion);
        command.Parameters.AddWithValue("$analyzer", analyzer.Id);
        command.Parameters.AddWithValue("$version", analyzer.Version);
        return ReadPayload(command);
    }

    private static byte[]? ReadPayload(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var length = reader.IsDBNull(0) ? -1 : reader.GetInt64(0);
        if (length is < 0 or > MaxPayloadBytes || reader.GetFieldType(1) != typeof(byte[]))
        {
            throw new CacheCorruptException($"payload of {length} bytes");
        }

        return reader.GetFieldValue<byte[]>(1);
    }

    /// <summary>The content blobs this layer's captures refer to, each checked against its SHA-256 key.</summary>
    private static Dictionary<string, byte[]> Contents(SqliteConnection connection, string layer)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT c.hash, length(c.bytes), c.bytes FROM layer_contents l JOIN contents c ON c.hash = l.hash WHERE l.layer = $layer";
        command.Parameters.AddWithValue("$layer", layer);
        using var reader = command.ExecuteReader();
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var damaged = new List<byte[]>();
        while (reader.Read())
        {
            var length = reader.IsDBNull(1) ? -1 : reader.GetInt64(1);
            if (length is < 0 or > ContentLimits.MaxWholeBytes || reader.GetFieldType(0) != typeof(byte[]) || reader.GetFieldType(2) != typeof(byte[]))
            {
                throw new CacheCorruptException($"content of {length} bytes");
            }

            var key = reader.GetFieldValue<byte[]>(0);
            var bytes = reader.GetFieldValue<byte[]>(2);
            if (!PayloadWriter.ContentKey(bytes).AsSpan().SequenceEqual(key))
            {
                damaged.Add(key);
                continue;
            }

            contents[Convert.ToHexStringLower(key)] = bytes;
        }

        if (damaged.Count > 0)
        {
            // Shared by other layers and kept by INSERT OR IGNORE: damaged rows go now, or they would stay.
            reader.Close();
            foreach (var key in damaged)
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM contents WHERE hash = $hash";
                delete.Parameters.AddWithValue("$hash", key);
                delete.ExecuteNonQuery();
            }

            throw new CacheCorruptException($"{damaged.Count} content blobs do not match their SHA-256 (the first is {Convert.ToHexStringLower(damaged[0])})");
        }

        return contents;
    }
}
