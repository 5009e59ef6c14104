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
}
