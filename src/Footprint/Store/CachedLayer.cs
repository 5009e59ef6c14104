using Footprint.FileSystem;

namespace Footprint.Store;

/// <summary>A hit: the layer's tree, its warnings (naming this artifact's blob) and its push size when one was measured.</summary>
public sealed record CachedLayer(FileTree Tree, IReadOnlyList<FsWarning> Warnings, PushSize? PushSize);
