namespace Footprint.Sources.Registry;

/// <summary>How registry references are read: credentials, which registries may be spoken to over plain HTTP, progress.</summary>
public sealed record RegistryOptions
{
    public static readonly RegistryOptions Default = new();

    /// <summary>`--creds USER:PASS`: used for every registry named on the command line, before any docker config entry.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// A token to send as `Authorization: Bearer` from the first request on, instead of any credential or token flow
    /// (the scanner adapter's pass-through of Harbor's token). A 401 with it is final: there is nothing else to try.
    /// </summary>
    public RegistryBearerToken? BearerToken { get; init; }

    /// <summary>
    /// `--insecure-registry HOST[:PORT]`: registries spoken to over plain HTTP. Loopback registries (localhost,
    /// 127.0.0.0/8, ::1) always are, as Docker treats them; every other registry is HTTPS only.
    /// </summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// The docker config file (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json); its `auths`,
    /// `credHelpers` and `credsStore` supply credentials when `--creds` is not given.
    /// </summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>Receives blob download progress (for a progress bar on a terminal); null for none.</summary>
    public IProgress<BlobProgress>? Progress { get; init; }

    /// <summary>
    /// `--keep-blobs`: the directory (DIR/ALGORITHM/HEX) where blobs fetched whole and verified are kept, and from which
    /// later reads take them (verified again as they stream) instead of fetching; null keeps nothing. Manifests are
    /// always fetched: tags move.
    /// </summary>
    public string? KeptBlobs { get; init; }

    /// <summary>Time allowed to connect and to receive a response's headers.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>True when <paramref name="registry"/> (as in a reference, host[:port]) may be spoken to over plain HTTP.</summary>
    public bool AllowsPlainHttp(string registry)
        => ImageReference.IsLoopbackHost(ImageReference.HostOf(registry))
            || InsecureRegistries.Any(h => string.Equals(h, registry, StringComparison.OrdinalIgnoreCase)
                || string.Equals(h, ImageReference.HostOf(registry), StringComparison.OrdinalIgnoreCase));
}
