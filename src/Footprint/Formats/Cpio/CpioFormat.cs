namespace Footprint.Formats.Cpio;

/// <summary>The header encodings of cpio (cpio(5), GNU cpio manual "Options" -H).</summary>
public enum CpioFormat
{
    /// <summary>"070701": SVR4 portable ASCII, 13 eight-digit hex fields, 4-byte alignment. The kernel's format.</summary>
    Newc,

    /// <summary>"070702": newc plus a checksum (sum of the data bytes) in the check field.</summary>
    Crc,

    /// <summary>"070707": POSIX.1 portable octal ASCII, no padding.</summary>
    Odc,

    /// <summary>Old binary, 16-bit words, little-endian (bytes C7 71).</summary>
    BinaryLittleEndian,

    /// <summary>Old binary, 16-bit words, big-endian (bytes 71 C7).</summary>
    BinaryBigEndian,
}
