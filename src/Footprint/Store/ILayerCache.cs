using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Store;

/// <summary>
/// What one read of a layer produced (its tree, with the content each analyzer asked for, its warnings and push
/// size), kept so a later run can rebuild the same tree without opening the blob. Keyed by the layer's diffID, which
/// the caller verified while reading it; see docs/cache.md.
/// </summary>
public interface ILayerCache
{
    /// <summary>
    /// The layer's tree as a fresh read with <paramref name="request"/>'s analyzers would build it, or null (a miss).
    /// A hit needs the blob (<see cref="LayerCacheRequest.BlobKey"/>, its size) to be one a read verified to expand to
    /// the diffID, and <paramref name="confirmBlob"/> to confirm that the blob at hand is that blob.
    /// </summary>
    CachedLayer? TryLoad(LayerCacheRequest request, Func<bool> confirmBlob);

    /// <summary>Starts recording a read of the layer (a miss); <see cref="Save"/> stores what it saw.</summary>
    LayerRecorder Record(LayerCacheRequest request);

    /// <summary>Stores a layer read in full whose diffID was verified by that read; best effort (a failure only skips the store).</summary>
    void Save(LayerRecorder recorder, FileTree tree, IReadOnlyList<FsWarning> warnings, PushSize? pushSize);

    /// <summary>Problems with the cache itself (a damaged file rebuilt), for the report's warnings; taken once.</summary>
    IReadOnlyList<FsWarning> TakeWarnings();
}

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

/// <summary>
/// The gzip size a registry push of an uncompressed layer would produce: exact with its digest, or estimated from
/// samples with its error bound (as Sources.Image.PushSize, which this side room cannot name).
/// </summary>
public sealed record PushSize(long Bytes, string? Digest, bool Estimated, long ErrorBoundBytes, long SampledBytes);

/// <summary>A hit: the layer's tree, its warnings (naming this artifact's blob) and its push size when one was measured.</summary>
public sealed record CachedLayer(FileTree Tree, IReadOnlyList<FsWarning> Warnings, PushSize? PushSize);
