namespace Footprint.Analyzers;

/// <summary>
/// What the registry reads from every analyzer and measure (docs/analyzers.md): a stable id, a version, the one
/// result type it produces and the result types it consumes. The pipeline orders producers by these declarations
/// alone, runs the independent ones concurrently and never names a producer. A producer that also needs files from
/// the walk implements <see cref="Walk.IAnalyzer"/> as well (the same Id and Version).
/// </summary>
public interface IProducer
{
    /// <summary>Stable kebab-case id: what findings are "found by" and what --disable and --only take.</summary>
    string Id { get; }

    /// <summary>Bumped whenever its results could change; part of every cache key.</summary>
    int Version { get; }

    /// <summary>The type of the result <see cref="Produce"/> returns.</summary>
    Type Produces { get; }

    /// <summary>
    /// Result types read through <see cref="AnalysisContext.Get{T}"/> or <see cref="AnalysisContext.All{T}"/>: the
    /// producer runs after every producer of each (a type may be an interface several results implement).
    /// </summary>
    IReadOnlyList<Type> Consumes => [];

    /// <summary>A core producer cannot be disabled: without it the report has no sense (installed bytes, download).</summary>
    bool IsCore => false;

    /// <summary>Whether the options ask for this producer at all (e.g. the file list only for `sbom --files`).</summary>
    bool IsWanted(AnalysisOptions options) => true;

    /// <summary>Computes the result after the walk; null when the artifact has nothing of the kind.</summary>
    object? Produce(AnalysisContext context);
}
