namespace Footprint.Analyzers.Loader;

/// <summary>The result of loading one program or library in the model.</summary>
public sealed record LoadResult(IReadOnlyList<LoadedObject> Closure, IReadOnlyList<LoadProblem> Problems);
