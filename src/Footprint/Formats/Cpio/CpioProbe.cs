using System.Diagnostics.CodeAnalysis;

namespace Footprint.Formats.Cpio;

/// <summary>
/// One ASCII cpio header (newc "070701", crc "070702": 110 bytes of hex, 4-byte alignment; odc "070707": 76 bytes of
/// octal, no alignment), parsed as <see cref="CpioReader"/> parses it: how a carver walks an archive header by header
/// to its TRAILER!!! and learns its length. The binary format's two-byte magic is too weak to carve or open media on.
/// </summary>
/// <param name="Format">Newc, Crc or Odc.</param>
/// <param name="HeaderBytes">Bytes of the header itself.</param>
/// <param name="NameBytes">namesize: the name with its NUL (1 to <see cref="CpioReader.MaxNameBytes"/>).</param>
/// <param name="DataBytes">filesize.</param>
public sealed record CpioProbe(CpioFormat Format, int HeaderBytes, long NameBytes, long DataBytes)
{
    /// <summary>Bytes of the longest ASCII header (newc).</summary>
    public const int MaxHeaderBytes = CpioHeader.NewcHeaderBytes;

    /// <summary>Alignment of header + name and of data (4 for newc and crc, 1 for odc).</summary>
    public int Alignment => CpioHeader.Alignment(Format);

    /// <summary>The name that ends an archive.</summary>
    public static bool IsTrailer(ReadOnlySpan<byte> name) => name.StartsWith("TRAILER!!!"u8);

    /// <summary>"070701", "070702" or "070707" at the start of <paramref name="header"/>.</summary>
    internal static bool HasMagic(ReadOnlySpan<byte> header)
        => CpioHeader.DetectFormat(header) is CpioFormat.Newc or CpioFormat.Crc or CpioFormat.Odc && header.Length >= 6;

    /// <summary>True when <paramref name="header"/> starts with a complete ASCII header whose fields are numbers and whose name size is 1 to 4096.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> header, [NotNullWhen(true)] out CpioProbe? probe)
    {
        probe = null;
        if (!HasMagic(header))
        {
            return false;
        }

        CpioFormat format = CpioHeader.DetectFormat(header)!.Value;
        int headerBytes = CpioHeader.HeaderBytes(format);
        if (header.Length < headerBytes || CpioHeader.Parse(format, header[..headerBytes], out _) is not { } h
            || h.NameSize is < 1 or > CpioReader.MaxNameBytes)
        {
            return false;
        }

        probe = new CpioProbe(format, headerBytes, h.NameSize, h.FileSize);
        return true;
    }
}
