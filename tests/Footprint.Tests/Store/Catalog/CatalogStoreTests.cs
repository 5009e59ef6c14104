using Footprint.Store.Catalog;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Store.Catalog;

/// <summary>The catalog table in the cache's layers.db: stored by name, checksummed, never trusted when damaged.</summary>
public sealed class CatalogStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Should_keep_entries_by_name_beside_the_cache_tables()
    {
        Footprint.Store.LayerCache.Open(_dir.Path).Dispose();

        var store = CatalogStore.Open(_dir.Path);
        Assert.Equal(Path.Combine(_dir.Path, "layers.db"), store.FilePath);
        store.Put("b", "{\"x\":2}"u8.ToArray());
        store.Put("a", "{\"x\":1}"u8.ToArray());
        store.Put("b", "{\"x\":3}"u8.ToArray());
        Assert.Equal(["a", "b"], store.List().Select(r => r.Name));
        Assert.Equal("{\"x\":3}", System.Text.Encoding.UTF8.GetString(store.List()[1].Json!));
        Assert.True(store.Remove("a"));
        Assert.False(store.Remove("a"));
        Assert.Equal(["b"], store.List().Select(r => r.Name));

        // The cache still opens the shared file and its tables are untouched.
        using var again = Footprint.Store.LayerCache.Open(_dir.Path);
        Assert.Empty(again.TakeWarnings());
    }

    [Fact]
    public void Should_report_a_damaged_row_instead_of_trusting_it()
    {
        var store = CatalogStore.Open(_dir.Path);
        store.Put("alpine", "{\"name\":\"alpine\"}"u8.ToArray());
        store.Put("other", "{\"name\":\"other\"}"u8.ToArray());
        using (var connection = new SqliteConnection($"Data Source={store.FilePath};Pooling=False"))
        {
            connection.Open();
            byte[] payload;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT payload FROM catalog WHERE name = 'alpine'";
                payload = (byte[])read.ExecuteScalar()!;
            }

            // Flip a bit of the entry's last byte, and copy a sound payload under another name.
            payload[^1] ^= 1;
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE catalog SET payload = $payload WHERE name = 'alpine';"
                + "INSERT INTO catalog(name, payload) SELECT 'copied', payload FROM catalog WHERE name = 'other';";
            command.Parameters.AddWithValue("$payload", payload);
            command.ExecuteNonQuery();
        }

        var rows = store.List();
        Assert.Null(rows.Single(r => r.Name == "alpine").Json);
        Assert.Contains("checksum", rows.Single(r => r.Name == "alpine").Damage, StringComparison.Ordinal);
        Assert.Null(rows.Single(r => r.Name == "copied").Json);
        Assert.NotNull(rows.Single(r => r.Name == "other").Json);
    }
}
