using Footprint.FileSystem;

namespace Footprint.Analyzers;

/// <summary>What opening the artifact and loading its layers learnt, beyond the files themselves.</summary>
/// <param name="PushSizes">Per layer index: the gzip size and digest a registry push would produce, for layers stored uncompressed.</param>
/// <param name="Warnings">The warnings raised so far (by the open and the load), so a producer does not repeat one.</param>
public sealed record LoadFacts(IReadOnlyDictionary<int, Sources.Image.PushSize> PushSizes, IReadOnlyList<FsWarning> Warnings);
