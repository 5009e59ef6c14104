using Footprint.Advisories.Database;
using Footprint.Advisories.Feeds;

namespace Footprint.Advisories.Update;

/// <summary>
/// `db update`: fetches the manifest (or takes the upstream list), downloads every feed (<see cref="FeedDownloader"/>),
/// parses them all, and only then imports them in one transaction: a feed that fails its size or digest check, or
/// does not parse, leaves the database as it was. Downloads go to a scratch directory beside the database, removed
/// on every exit. A feed with no date inside its data takes the server's Last-Modified as its data date.
/// </summary>
public sealed class FeedUpdater(HttpClient http)
{
    public int MaxAttempts { get; init; } = 5;

    /// <summary>HTTP requests made by the last update (manifest included).</summary>
    public int Requests { get; private set; }

    public async Task<IReadOnlyList<ImportedFeed>> UpdateAsync(Uri? manifestUrl, AdvisoryDatabase database, FeedLimits? limits, CancellationToken cancel)
    {
        Requests = 0;
        var manifest = manifestUrl is null ? UpdateManifest.Upstream() : await FetchManifestAsync(manifestUrl, cancel).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(Path.GetFullPath(database.FilePath))!;
        Directory.CreateDirectory(directory);
        var scratch = Path.Combine(directory, $"downloads-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var downloader = new FeedDownloader(http) { MaxAttempts = MaxAttempts };
            var parsed = new List<(FeedBatch, string, long)>();
            try
            {
                for (var i = 0; i < manifest.Feeds.Count; i++)
                {
                    var feed = manifest.Feeds[i];
                    var name = $"{i:D4}-{SafeName(feed.Url)}";
                    var file = await downloader.DownloadAsync(feed, scratch, name, cancel).ConfigureAwait(false);
                    var batch = FeedImporter.TryImport(file, limits, name: feed.Url.ToString()) ?? throw UpdateManifest.Refused(feed.Url, "not a known advisory feed");
                    var (sha, size) = AdvisoryDatabase.Digest(file);
                    // A feed without dates inside (Alpine and Wolfi secdb) is dated by the server's Last-Modified.
                    parsed.Add((batch.FeedDate is null && downloader.LastModified is { } modified ? batch with { FeedDate = modified } : batch, sha, size));
                    File.Delete(file);
                }
            }
            catch (HttpRequestException e)
            {
                throw new IOException($"download failed: {e.Message}", e);
            }
            finally
            {
                Requests += downloader.Requests;
            }

            return database.Import(parsed);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task<UpdateManifest> FetchManifestAsync(Uri url, CancellationToken cancel)
    {
        Requests++;
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw UpdateManifest.Refused(url, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            using var content = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            {
                if (content.Length + n > UpdateManifest.MaxManifestBytes)
                {
                    throw UpdateManifest.Refused(url, $"manifest larger than {UpdateManifest.MaxManifestBytes} bytes");
                }

                content.Write(buffer, 0, n);
            }

            return UpdateManifest.Parse(content.ToArray(), url);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{url}: {e.Message}", e);
        }
    }

    /// <summary>The URL's last segment reduced to [A-Za-z0-9._-] (the scratch file's name; never a path).</summary>
    private static string SafeName(Uri url)
    {
        var last = Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? "feed").Trim('/');
        var safe = new string(last.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
        return safe.Length == 0 ? "feed" : safe[..Math.Min(safe.Length, 64)];
    }
}
