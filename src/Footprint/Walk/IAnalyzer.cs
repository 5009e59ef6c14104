using Footprint.FileSystem;

namespace Footprint.Walk;

/// <summary>
/// A small, single-purpose reader of the squashed view (trivy fanal's analyzer shape): it declares
/// what it needs with a cheap <see cref="Required"/> predicate and never opens archives itself.
/// </summary>
public interface IAnalyzer
{
    /// <summary>Stable kebab-case id: what findings are "found by" and what --disable takes.</summary>
    string Id { get; }

    /// <summary>Bumped whenever results could change; part of any cache key.</summary>
    int Version { get; }

    /// <summary>Which content this analyzer needs for a node (called while layers stream past, and during the walk).</summary>
    ContentNeed Required(string path, FsNode node);

    /// <summary>Called once per node of the squashed view, in path order; content is there when Required asked for it and the source could supply it.</summary>
    void Observe(string path, FsNode node, IFileContent? content);
}
