using System.Buffers.Binary;

namespace Footprint.Formats.Iso9660;

/// <summary>The fixed part of a directory record (ECMA-119 9.1): where its data is and what kind it is.</summary>
internal readonly record struct RecordRef(
    long RecordOffset, long DataOffset, long SizeBytes, byte Flags, byte FileUnitSize, byte InterleaveGap, DateTimeOffset? RecordingTime)
{
    /// <summary>
    /// Both-endian fields are read from their little-endian half (some writers get the other half wrong). The data
    /// starts after the extended attribute record: (extent + XAR length) logical blocks.
    /// </summary>
    public static RecordRef Parse(ReadOnlySpan<byte> r, long recordOffset, int blockSize)
    {
        long extent = BinaryPrimitives.ReadUInt32LittleEndian(r[2..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(r[10..]);
        long dataOffset = (extent + r[1]) * blockSize;
        return new RecordRef(recordOffset, dataOffset, size, r[25], r[26], r[27], IsoTime.ReadShort(r.Slice(18, 7)));
    }
}
