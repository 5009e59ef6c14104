using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources;

/// <summary>Pull reader over one layer's entries (shaped like TarReader).</summary>
public interface ILayerReader : IDisposable
{
    /// <summary>The next entry, or null at the end of the layer.</summary>
    FileEntry? GetNextEntry();

    /// <summary>Opens the current regular file's bytes; valid until the next <see cref="GetNextEntry"/>.</summary>
    Stream OpenData();

    /// <summary>For random-access sources (directories), content that can be opened later; null for streams.</summary>
    IFileContent? LazyContent { get; }

    /// <summary>Called after the last entry: reads what is left of the blob (so recompression sees every byte).</summary>
    void Finish();

    /// <summary>
    /// Instead of reading entries: hashes the stored blob alone, without decompressing it, and says whether it is
    /// the blob the artifact names (its size and digest). For a layer the cache holds (Store/LayerCache), whose blob
    /// digest was verified against its diffID when it was stored. False when the reader cannot tell.
    /// </summary>
    bool VerifyStoredBlob() => false;

    /// <summary>
    /// The stamp, taken now from the handle this reader reads through, of the local file holding the blob (see
    /// <see cref="FileStamp"/>); null when the blob is not a range of a local file. Equal stamps before and after a
    /// verifying read let the per-layer cache trust the blob later without hashing it again (docs/cache.md).
    /// </summary>
    FileStamp? BlobStamp() => null;
}
