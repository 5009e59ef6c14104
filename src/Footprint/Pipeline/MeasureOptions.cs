using Footprint.Formats.Compression;
using Footprint.Sources;

namespace Footprint.Pipeline;

/// <summary>What `footprint measure` was asked to do.</summary>
public sealed record MeasureOptions
{
    public Platform? Platform { get; init; }

    /// <summary>An artifact whose layers are already cached (`--have`).</summary>
    public string? Have { get; init; }

    /// <summary>The image this one extends (`--base`): packages and bytes are split into base and added when its layers are a prefix of ours.</summary>
    public string? Base { get; init; }

    /// <summary>List every regular file with its SHA-1 and SHA-256 and owning packages (`sbom --files`); costs reading every byte.</summary>
    public bool ListFiles { get; init; }

    public int LargestFiles { get; init; } = 10;

    /// <summary>Add the breakdown of the installed bytes by directory and by package (`report`, `measure --breakdown`).</summary>
    public bool Breakdown { get; init; }

    public DecompressionLimits Limits { get; init; } = DecompressionLimits.Default;

    /// <summary>Compute the push size of uncompressed layers (costs one gzip pass).</summary>
    public bool MeasurePushSize { get; init; } = true;

    /// <summary>Compress all of every large uncompressed layer for its push size instead of estimating it from samples (`--exact-push-size`).</summary>
    public bool ExactPushSize { get; init; }

    /// <summary>Check every layer against its digests while reading it (on by default; `--no-verify` turns it off).</summary>
    public bool Verify { get; init; } = true;

    public IProgress<LoadProgress>? Progress { get; init; }

    /// <summary>
    /// Told how long each stage took (loading the layers, the walk, each producer), for performance work
    /// (`FOOTPRINT_TIMINGS=1 footprint measure ...`); may be called from several threads at once.
    /// </summary>
    public Action<string, TimeSpan>? OnTiming { get; init; }

    /// <summary>Run the reachability analyzer (Analyzers/Reachability): reads every ELF object whole; off by default.</summary>
    public bool Reachability { get; init; }

    /// <summary>Which analyzers run (`--disable`, `--only`); all by default.</summary>
    public AnalyzerSelection Analyzers { get; init; } = new();

    /// <summary>What the producers read of these options.</summary>
    public Analyzers.AnalysisOptions ToAnalysisOptions() => new()
    {
        Platform = Platform,
        Have = Have,
        Base = Base,
        ListFiles = ListFiles,
        LargestFiles = LargestFiles,
        Breakdown = Breakdown,
        Verify = Verify,
        Limits = Limits,
        AdvisoryDatabase = AdvisoryDatabase,
        Registry = Registry,
        Reachability = Reachability,
    };

    /// <summary>The advisory database (Advisories/Database) to match packages against; null: no vulnerability matching.</summary>
    public string? AdvisoryDatabase { get; init; }

    /// <summary>How registry references are read (credentials, plain-HTTP registries, download progress).</summary>
    public Sources.Registry.RegistryOptions Registry { get; init; } = Sources.Registry.RegistryOptions.Default;

    /// <summary>The per-layer cache (docs/cache.md); none by default for the library, the CLI opens one unless `--no-cache`.</summary>
    public Store.ILayerCache? LayerCache { get; init; }
}
