using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.Rootfs;

/// <summary>
/// Reads the decompressed stream of a layer to its end when the layer is finished. The tar reader stops at the
/// end-of-archive blocks, but the integrity checks of a compressed stream (gzip CRC-32 and ISIZE, xz block checks,
/// zstd checksums, bzip2 CRCs) are verified only when the decoder reaches them: without this, a damaged tarball would
/// be measured, and its file hashes printed, without a word.
/// </summary>
internal sealed class DrainingLayerReader : ILayerReader
{
    private readonly ILayerReader _inner;
    private readonly Stream _decompressed;

    public DrainingLayerReader(ILayerReader inner, Stream decompressed)
    {
        _inner = inner;
        _decompressed = decompressed;
    }

    public IFileContent? LazyContent => _inner.LazyContent;

    public FileEntry? GetNextEntry() => _inner.GetNextEntry();

    public Stream OpenData() => _inner.OpenData();

    public void Finish()
    {
        _inner.Finish();
        _decompressed.CopyTo(Stream.Null);
    }

    public void Dispose() => _inner.Dispose();
}
