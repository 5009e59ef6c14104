using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Footprint.Advisories.Update;

/// <summary>
/// Downloads one feed into a directory, resumably: bytes go to NAME.part, and when the connection drops the next
/// attempt asks for the rest with a Range request (a server that answers 200 instead of 206 restarts it). The
/// file is checked against the manifest's size (and never grows past it, nor past
/// <see cref="MaxUndeclaredBytes"/> when no size is given) and SHA-256, then renamed to NAME. The .part file is
/// removed on every exit, success or failure.
/// </summary>
public sealed class FeedDownloader(HttpClient http)
{
    /// <summary>Cap on a feed whose size the manifest does not give (the largest real feed, OSV Debian all.zip, is well under).</summary>
    public const long MaxUndeclaredBytes = 4L << 30;

    /// <summary>Attempts per feed: the first request and the resumes after dropped connections.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Requests made, for tests and the summary line.</summary>
    public int Requests { get; private set; }

    /// <summary>The Last-Modified header of the last download's final response, when the server sent one.</summary>
    public DateTimeOffset? LastModified { get; private set; }

    public async Task<string> DownloadAsync(ManifestFeed feed, string directory, string name, CancellationToken cancel)
    {
        var final = Path.Combine(directory, name);
        var part = final + ".part";
        var limit = feed.SizeBytes ?? MaxUndeclaredBytes;
        LastModified = null;
        try
        {
            using (var file = new FileStream(part, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (await FetchAsync(feed, file, limit, cancel).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException && e is not Formats.FootprintFormatException && attempt < MaxAttempts)
                    {
                        // A dropped connection: ask for the rest.
                    }
                }

                if (feed.SizeBytes is { } size && file.Length != size)
                {
                    throw UpdateManifest.Refused(feed.Url, $"downloaded {file.Length} bytes, the manifest says {size}");
                }

                if (feed.Sha256 is { } expected)
                {
                    file.Position = 0;
                    var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancel).ConfigureAwait(false));
                    if (actual != expected)
                    {
                        throw UpdateManifest.Refused(feed.Url, $"sha256 {actual}, the manifest says {expected}");
                    }
                }
            }

            File.Move(part, final, overwrite: true);
            return final;
        }
        finally
        {
            File.Delete(part);
        }
    }

    /// <summary>One request; true when the body arrived whole, false to retry; throws on a refusal.</summary>
    private async Task<bool> FetchAsync(ManifestFeed feed, FileStream file, long limit, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
        var have = file.Length;
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        Requests++;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && feed.SizeBytes == have)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.PartialContent && have > 0)
        {
            if (response.Content.Headers.ContentRange?.From != have)
            {
                throw UpdateManifest.Refused(feed.Url, $"asked for bytes from {have}, the server sent {response.Content.Headers.ContentRange}");
            }
        }
        else if (response.StatusCode == HttpStatusCode.OK)
        {
            file.SetLength(0);
            have = 0;
        }
        else
        {
            throw UpdateManifest.Refused(feed.Url, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        file.Position = have;
        LastModified = response.Content.Headers.LastModified?.ToUniversalTime();
        if (response.Content.Headers.ContentLength is { } announced && have + announced > limit)
        {
            throw UpdateManifest.Refused(feed.Url, $"the server announces {have + announced} bytes, more than the {limit} expected");
        }

        using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
        {
            if (file.Length + n > limit)
            {
                throw UpdateManifest.Refused(feed.Url, $"the response is larger than the {limit} bytes expected");
            }

            await file.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
        }

        await file.FlushAsync(cancel).ConfigureAwait(false);
        return true;
    }
}
