using Footprint.FileSystem;

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

    /// <summary>
    /// Whether a verifying read of the blob <paramref name="blobKey"/> recorded exactly this stamp of the file it was
    /// read from (<see cref="RememberVerifiedBlob"/>): the file has not changed since, so the blob need not be hashed again.
    /// </summary>
    bool IsUnchangedBlob(string blobKey, FileStamp stamp) => false;

    /// <summary>
    /// Records that a read verified the blob <paramref name="blobKey"/> from the file stamped <paramref name="before"/>
    /// it started; kept only when the stamp <paramref name="after"/> the read is the same and the file had settled.
    /// </summary>
    void RememberVerifiedBlob(string blobKey, FileStamp before, FileStamp after)
    {
    }

    /// <summary>Waits for stores still being written behind the caller (a cache may write in the background).</summary>
    void Flush()
    {
    }

    /// <summary>Problems with the cache itself (a damaged file rebuilt), for the report's warnings; taken once.</summary>
    IReadOnlyList<FsWarning> TakeWarnings();
}
