namespace Footprint.Measures.Files;

/// <summary>Every regular file of the squashed view, sorted by path, with its digests and owners (`sbom --files`).</summary>
public sealed record FileList(IReadOnlyList<FileReport> Files);
