namespace Footprint.Tests.TestSupport;

/// <summary>
/// The stateless backend of `footprint serve` for a test class: one PostgreSQL cluster (started on first use, so a
/// class whose SQLite cases run alone never needs it) and, per <see cref="Create"/>, a new database and a new
/// redis-server. Missing packages fail the test with the apt-get line, never skip it. Everything stops on dispose.
/// </summary>
public sealed class FleetFixture : IDisposable
{
    private readonly Lazy<PostgresServer> _postgres = new(() => new PostgresServer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly List<RedisServer> _redis = [];

    /// <summary>A fresh queue and store, isolated from every other test's.</summary>
    internal FleetBackend Create()
    {
        var redis = new RedisServer();
        lock (_redis)
        {
            _redis.Add(redis);
        }

        return new FleetBackend(redis, _postgres.Value.CreateDatabase());
    }

    public void Dispose()
    {
        lock (_redis)
        {
            foreach (var redis in _redis)
            {
                redis.Dispose();
            }
        }

        if (_postgres.IsValueCreated)
        {
            _postgres.Value.Dispose();
        }
    }
}
