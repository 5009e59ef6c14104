using System.Buffers.Binary;
using Footprint.Formats;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// rpm's "ndb" Packages.db (rpm ≥ 4.15, the default on openSUSE/SLES 15). Documented only by its source,
/// rpm's <c>lib/backend/ndb/rpmpkg.c</c>; the facts used here, integers in the writer's byte order
/// (little-endian on x86; detected from the magic):
/// <code>
///   0   "RpmP" magic, u32 version (0), u32 generation, u32 slot page count, 16 reserved bytes
///   the first slot-page-count x 4096 bytes are slot pages of 16-byte slots; slots 0 and 1 are the header above.
///   slot:  "Slot" magic, u32 package index (0 = free), u32 block offset, u32 block count
///   block: at block offset x 16: "BlbS" magic, u32 package index, u32 checksum, u32 blob length,
///          then the header blob, then a 12-byte tail; the whole block is block count x 16 bytes.
/// </code>
/// The blob checksum is not verified; the header parser validates every offset instead.
/// </summary>
internal static class RpmNdbReader
{
    private const int SlotPageBytes = 4096;
    private const int SlotBytes = 16;
    private const int BlockBytes = 16;
    private const int BlobHeaderBytes = 16;
    private const int HeaderSlots = 2;
    private const uint NdbVersion = 0;

    public static void Read(ReadOnlySpan<byte> db, RpmDatabase.Sink sink)
    {
        if (db.Length < 32)
        {
            throw new FootprintFormatException(sink.Source, 0, $"NDB header needs 32 bytes; the file has {db.Length}");
        }

        var littleEndian = db[..4].SequenceEqual("RpmP"u8);
        uint U32(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

        var version = U32(db[4..]);
        if (version != NdbVersion)
        {
            throw new FootprintFormatException(sink.Source, 4, $"NDB version {version} is not supported (only {NdbVersion})");
        }

        long slotPages = U32(db[12..]);
        if (slotPages == 0 || slotPages * SlotPageBytes > db.Length)
        {
            throw new FootprintFormatException(
                sink.Source, 12, $"NDB header claims {slotPages} slot pages ({slotPages * SlotPageBytes} bytes); the file has {db.Length} bytes");
        }

        var slots = slotPages * SlotPageBytes / SlotBytes;
        for (long i = HeaderSlots; i < slots; i++)
        {
            var slotOffset = i * SlotBytes;
            var slot = db.Slice((int)slotOffset, SlotBytes);
            if (!slot[..4].SequenceEqual(littleEndian ? "Slot"u8 : "tolS"u8))
            {
                sink.Unknown(slotOffset, "NDB slot without its \"Slot\" magic");
                continue;
            }

            var pkgIndex = U32(slot[4..]);
            if (pkgIndex == 0)
            {
                continue; // free slot
            }

            long blockOffset = (long)U32(slot[8..]) * BlockBytes;
            long blockBytes = (long)U32(slot[12..]) * BlockBytes;
            if (blockOffset < slotPages * SlotPageBytes || blockBytes < BlobHeaderBytes || blockOffset + blockBytes > db.Length)
            {
                sink.Unknown(slotOffset, $"NDB slot of package {pkgIndex}: block of {blockBytes} bytes at offset {blockOffset} is outside the file's {db.Length} bytes");
                continue;
            }

            var block = db.Slice((int)blockOffset, (int)blockBytes);
            if (!block[..4].SequenceEqual(littleEndian ? "BlbS"u8 : "SblB"u8) || U32(block[4..]) != pkgIndex)
            {
                sink.Unknown(blockOffset, $"NDB block of package {pkgIndex} lacks its \"BlbS\" magic or package index");
                continue;
            }

            long blobBytes = U32(block[12..]);
            if (blobBytes > blockBytes - BlobHeaderBytes)
            {
                sink.Unknown(blockOffset + 12, $"NDB blob of package {pkgIndex} claims {blobBytes} bytes; its block holds {blockBytes - BlobHeaderBytes}");
                continue;
            }

            sink.Blob(block.Slice(BlobHeaderBytes, (int)blobBytes), blockOffset + BlobHeaderBytes);
        }
    }
}
