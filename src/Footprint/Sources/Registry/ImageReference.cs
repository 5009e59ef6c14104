using System.Text.RegularExpressions;

namespace Footprint.Sources.Registry;

/// <summary>
/// An image reference in a registry, normalised as Docker does (distribution/reference `ParseNormalizedNamed`):
/// "alpine:3.20" is docker.io/library/alpine:3.20, a name without tag or digest is ":latest", and docker.io is served
/// by registry-1.docker.io. The first path component is a registry host only when it holds a '.' or a ':', or is
/// "localhost" (so "team/app" is a Docker Hub repository, "registry.example:5000/team/app" is not).
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>skopeo's transport prefix, accepted in front of any reference.</summary>
    public const string DockerTransport = "docker://";

    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves docker.io's API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>Longest repository name Docker accepts (distribution/reference NameTotalLengthMax).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Longest reference text considered at all (host, name, tag and a sha512 digest fit easily).</summary>
    public const int MaxReferenceLength = 1024;

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as named, normalised: "docker.io", "registry.example:5000", "localhost:5000".</summary>
    public string Registry { get; }

    /// <summary>The repository path: "library/alpine", "team/app".</summary>
    public string Repository { get; }

    /// <summary>The tag; "latest" when neither tag nor digest was given; kept for display when a digest was also given.</summary>
    public string? Tag { get; }

    /// <summary>The digest pinned by "@sha256:...", when given; it wins over the tag, as in `docker pull`.</summary>
    public string? Digest { get; }

    /// <summary>Host (and port) the API is called on: docker.io is served by registry-1.docker.io.</summary>
    public string ApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary>Host without the port, for the plain-HTTP rules.</summary>
    public string HostName => HostOf(Registry);

    /// <summary>What the manifest is fetched by: the digest when pinned, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag!;

    /// <summary>True for a registry on this machine (localhost, 127.0.0.0/8, ::1): plain HTTP is allowed there.</summary>
    public bool IsLoopback => IsLoopbackHost(HostName);

    /// <summary>Parses <paramref name="text"/>; null when it is not a reference (the caller then treats it as a path).</summary>
    public static ImageReference? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxReferenceLength)
        {
            return null;
        }

        var rest = text.StartsWith(DockerTransport, StringComparison.Ordinal) ? text[DockerTransport.Length..] : text;
        var m = Grammar().Match(rest);
        if (!m.Success)
        {
            return null;
        }

        var name = m.Groups["name"].Value;
        var tag = m.Groups["tag"].Success ? m.Groups["tag"].Value : null;
        var digest = m.Groups["digest"].Success ? m.Groups["digest"].Value : null;
        if (digest is not null && !ValidDigest(digest))
        {
            return null;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        string registry;
        string repository;
        if (slash > 0 && IsRegistryComponent(name[..slash]))
        {
            registry = name[..slash];
            repository = name[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }

        if (registry == "index.docker.io")
        {
            registry = DockerHub;
        }

        if (!Repo().IsMatch(repository))
        {
            return null;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (repository.Length > MaxNameLength || (registry.Length + 1 + repository.Length) > MaxNameLength)
        {
            return null;
        }

        return new ImageReference(registry, repository, tag ?? (digest is null ? "latest" : null), digest);
    }

    /// <summary>Parses <paramref name="text"/>, which must be a reference.</summary>
    public static ImageReference Parse(string text)
        => TryParse(text) ?? throw new ArgumentException($"'{text}' is not an image reference (expected [REGISTRY/]NAME[:TAG][@DIGEST])", nameof(text));

    /// <summary>True for localhost, ::1 and 127.0.0.0/8.</summary>
    public static bool IsLoopbackHost(string host)
        => host is "localhost" or "::1" or "[::1]"
            || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>"host:port" or "[v6]:port" without the port.</summary>
    public static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? registry[..(close + 1)] : registry;
        }

        var colon = registry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? registry : registry[..colon];
    }

    /// <summary>Canonical text: "docker.io/library/alpine:3.20", with "@digest" when pinned.</summary>
    public override string ToString()
        => $"{Registry}/{Repository}" + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>Docker's rule (distribution/reference normalize.go splitDockerDomain).</summary>
    private static bool IsRegistryComponent(string first)
        => first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            || first.StartsWith('[') || first.Any(char.IsAsciiLetterUpper);

    /// <summary>sha256 with 64 lowercase hex digits or sha512 with 128 (OCI image-spec descriptor.md, registered algorithms).</summary>
    private static bool ValidDigest(string digest) => Image.Digests.IsValid(digest);

    // distribution/reference regexp.go: domain (with an optional port and bracketed IPv6), path components joined by
    // '/', a tag of at most 128 word characters, and a digest of any algorithm (validated above).
    [GeneratedRegex(@"^(?<name>(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}))?$")]
    private static partial Regex Grammar();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Repo();
}
