namespace Footprint.Formats.Compression;

/// <summary>Compression of a layer or rootfs archive, recognised by its magic bytes.</summary>
public enum CompressionKind
{
    None,
    Gzip,
    Xz,
    Zstd,
    Bzip2,
}
