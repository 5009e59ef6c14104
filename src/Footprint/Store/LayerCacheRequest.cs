using Footprint.Walk;

namespace Footprint.Store;

/// <summary>One layer to look up or store.</summary>
/// <param name="DiffId">Digest of the uncompressed layer (rootfs.diff_ids), verified by the read that stores it.</param>
/// <param name="LayerIndex">Position of the layer in this image: cached trees are rebuilt at this index.</param>
/// <param name="Location">The blob's location in this artifact: warnings name it.</param>
/// <param name="InterpretWhiteouts">Whether <c>.wh.</c> names are markers (image layers).</param>
/// <param name="Analyzers">The analyzers whose needs the tree's content must satisfy (their Id and Version key the entries).</param>
/// <param name="HashFiles">Whether every file's digests are wanted (`sbom --files`).</param>
/// <param name="WantsPushSize">Whether this read would measure the push size (an uncompressed blob, push size asked for): a hit then needs one.</param>
/// <param name="WantsExactPushSize">Whether every byte's gzip was asked for (`--exact-push-size`): a cached estimate is then a miss.</param>
/// <param name="BlobKey">The stored blob's digest (the diffID for an uncompressed blob the artifact names by diffID only).</param>
/// <param name="StoredBytes">The stored blob's size.</param>
public sealed record LayerCacheRequest(string DiffId, int LayerIndex, string Location, bool InterpretWhiteouts, IReadOnlyList<IAnalyzer> Analyzers, bool HashFiles,
    bool WantsPushSize, string BlobKey, long StoredBytes, bool WantsExactPushSize = false);
