using Footprint.Advisories.Feeds;
using Footprint.Formats;

namespace Footprint.Advisories.Update;

/// <summary>
/// The list `footprint db update --from URL` downloads (docs/advisories.md "Update manifest"):
/// <code>
/// { "feeds": [ { "url": "alpine/v3.20/main.json", "sha256": "64 hex digits", "size": 123456 } ] }
/// </code>
/// <c>url</c> is absolute or relative to the manifest's own URL; <c>sha256</c> and <c>size</c> are optional (a
/// feed whose publisher gives neither is checked against <see cref="FeedDownloader.MaxUndeclaredBytes"/> only).
/// Unknown keys are ignored, so the format can grow.
/// </summary>
public sealed class UpdateManifest
{
    /// <summary>A manifest larger than this is refused before it is parsed.</summary>
    public const long MaxManifestBytes = 1L << 20;

    public const int MaxFeeds = 10_000;

    public UpdateManifest(IReadOnlyList<ManifestFeed> feeds)
    {
        Feeds = feeds;
    }

    public IReadOnlyList<ManifestFeed> Feeds { get; }

    public static UpdateManifest Parse(ReadOnlyMemory<byte> utf8, Uri source)
    {
        var name = source.ToString();
        var (document, root) = FeedJson.Parse(utf8, name);
        using (document)
        {
            var feeds = new List<ManifestFeed>();
            foreach (var feed in root.Required("feeds").ExpectSequence().Items())
            {
                if (feeds.Count == MaxFeeds)
                {
                    throw feed.Error($"more than {MaxFeeds} feeds");
                }

                var url = feed.RequiredString("url");
                if (!Uri.TryCreate(source, url, out var absolute) || (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps))
                {
                    throw feed.Required("url").Error($"not an http(s) URL: '{FeedNode.Clip(url)}'");
                }

                var sha = feed.OptionalString("sha256")?.ToLowerInvariant();
                if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
                {
                    throw feed.Required("sha256").Error("sha256 is not 64 hex digits");
                }

                long? size = null;
                var sizeNode = feed.ExpectMapping().Get("size");
                if (sizeNode is not null && sizeNode.Kind != FeedNodeKind.Null)
                {
                    if (sizeNode.Kind != FeedNodeKind.Number || !long.TryParse(sizeNode.Scalar, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s))
                    {
                        throw sizeNode.Error($"size is not a whole number of bytes: {sizeNode.Describe()}");
                    }

                    size = s;
                }

                feeds.Add(new ManifestFeed(absolute, sha, size));
            }

            return new UpdateManifest(feeds);
        }
    }

    /// <summary>The upstream feeds `db update` fetches without --from. None publishes a digest: they are checked by size cap only.</summary>
    public static UpdateManifest Upstream()
    {
        var feeds = new List<Uri>();
        foreach (var release in new[] { "v3.17", "v3.18", "v3.19", "v3.20", "v3.21", "v3.22", "edge" })
        {
            feeds.Add(new Uri($"https://secdb.alpinelinux.org/{release}/main.json"));
            feeds.Add(new Uri($"https://secdb.alpinelinux.org/{release}/community.json"));
        }

        feeds.Add(new Uri("https://security-tracker.debian.org/tracker/data/json"));
        feeds.Add(new Uri("https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list"));
        feeds.Add(new Uri("https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list"));
        feeds.Add(new Uri("https://packages.wolfi.dev/os/security.json"));
        foreach (var ecosystem in new[] { "Alpine", "Debian", "Ubuntu", "Wolfi", "Chainguard", "Red%20Hat", "Rocky%20Linux", "AlmaLinux" })
        {
            feeds.Add(new Uri($"https://osv-vulnerabilities.storage.googleapis.com/{ecosystem}/all.zip"));
        }

        return new UpdateManifest(feeds.Select(u => new ManifestFeed(u, null, null)).ToList());
    }

    /// <summary>A bad manifest or feed: the update refuses it, naming the URL.</summary>
    internal static FootprintFormatException Refused(Uri url, string message) => new(url.ToString(), null, message);
}
