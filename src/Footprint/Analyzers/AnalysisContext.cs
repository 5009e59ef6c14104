using Footprint.FileSystem;
using Footprint.Sources;

namespace Footprint.Analyzers;

/// <summary>
/// What one producer sees after the walk: the squashed view, the source's facts and capabilities, the options, the
/// facts the load gathered, and the results of the producers it declared it consumes (and only those: asking for an
/// undeclared type is a programming error, so the declared order can be trusted).
/// </summary>
public sealed class AnalysisContext
{
    private readonly IReadOnlyList<Type> _consumes;
    private readonly Func<Type, IReadOnlyList<object>> _results;
    private readonly List<FsWarning> _warnings = [];

    public AnalysisContext(IFileSystemView view, IArtifactSource source, AnalysisOptions options, LoadFacts load,
        IReadOnlyList<Type> consumes, Func<Type, IReadOnlyList<object>> results)
    {
        View = view;
        Source = source;
        Options = options;
        Load = load;
        _consumes = consumes;
        _results = results;
    }

    public IFileSystemView View { get; }

    public IArtifactSource Source { get; }

    public AnalysisOptions Options { get; }

    public LoadFacts Load { get; }

    /// <summary>Warnings this producer raised; the pipeline adds them to the report in registry order, so the order never depends on timing.</summary>
    public IReadOnlyList<FsWarning> Warnings => _warnings;

    public void Warn(FsWarning warning) => _warnings.Add(warning);

    /// <summary>The one result of a consumed type, or null when its producer found nothing or was disabled.</summary>
    public T? Get<T>()
        where T : class
    {
        var all = All<T>();
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new InvalidOperationException($"{all.Count} producers made a {typeof(T).Name}; read them with All<T>()"),
        };
    }

    /// <summary>Every result of a consumed type (or implementing a consumed interface), in registry order.</summary>
    public IReadOnlyList<T> All<T>()
        where T : class
    {
        if (!_consumes.Contains(typeof(T)))
        {
            throw new InvalidOperationException($"{typeof(T).Name} is read but not declared in Consumes");
        }

        return _results(typeof(T)).Cast<T>().ToList();
    }
}
