using Footprint.FileSystem;
using Footprint.Sources;

namespace Footprint.Pipeline;

/// <summary>
/// What one run of the pipeline found: the source's own facts, every producer's result by type, the warnings in a
/// stable order, and which producers ran. The report (a room above) is assembled from this alone.
/// </summary>
public sealed class AnalysisRun
{
    private readonly IReadOnlyList<object?> _results;

    internal AnalysisRun(IArtifactSource source, IReadOnlyList<object?> results, IReadOnlyList<FsWarning> warnings, IReadOnlyList<ProducerStatus>? statuses)
    {
        Location = source.Location;
        Kind = source.Kind;
        ManifestDigest = source.ManifestDigest;
        Config = source.Config;
        ExcludedPaths = source.Capability<IDiskBacked>() is { } disk ? disk.Excluded.Order(StringComparer.Ordinal).ToList() : [];
        _results = results;
        Warnings = warnings;
        Statuses = statuses;
    }

    public string Location { get; }

    public SourceKind Kind { get; }

    public string? ManifestDigest { get; }

    public ImageConfig? Config { get; }

    /// <summary>Paths a source read in place skipped on purpose (pseudo filesystems of the host).</summary>
    public IReadOnlyList<string> ExcludedPaths { get; }

    public IReadOnlyList<FsWarning> Warnings { get; }

    /// <summary>Every producer with whether it ran; null when all ran (no `--disable` or `--only`).</summary>
    public IReadOnlyList<ProducerStatus>? Statuses { get; }

    /// <summary>The one result of this type, or null when its producer found nothing or did not run.</summary>
    public T? Get<T>()
        where T : class
        => _results.OfType<T>().SingleOrDefault();

    /// <summary>A result a core producer always makes.</summary>
    public T Required<T>()
        where T : class
        => Get<T>() ?? throw new InvalidOperationException($"no {typeof(T).Name}: its producer is core and always runs");
}
