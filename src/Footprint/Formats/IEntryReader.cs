namespace Footprint.Formats;

/// <summary>
/// The pull shape every format reader shares (tar, cpio, squashfs, ISO 9660, FAT): entries one at a time, the current
/// regular file's bytes on demand. Readers know nothing of images; sources adapt them to layers.
/// </summary>
public interface IEntryReader : IDisposable
{
    /// <summary>The next entry, or null at the end. Hard links after the first name are <see cref="FileKind.HardLink"/> naming it.</summary>
    /// <exception cref="FootprintFormatException">Malformed input; the message names the source and the offset.</exception>
    FileEntry? GetNextEntry();

    /// <summary>Opens the current regular file's bytes; valid until the next <see cref="GetNextEntry"/>.</summary>
    Stream OpenData();
}
