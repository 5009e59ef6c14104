using Footprint.FileSystem;

namespace Footprint.Analyzers.Files;

/// <summary>Every regular file of the squashed view, in walk order, with its data (digests when the load hashed them).</summary>
public sealed record CollectedFiles(IReadOnlyList<(string Path, FileData Data)> Files);
