using System.Buffers.Binary;
using Footprint.Formats;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// Legacy /var/lib/rpm/Packages: a BerkeleyDB hash database whose keys are 4-byte header instance numbers and
/// whose values are header blobs (without the 8-byte magic). Layout facts from BerkeleyDB's <c>dbinc/db_page.h</c>,
/// integers in the writer's byte order (detected from the magic):
/// <code>
///   page 0 (metadata):  12 u32 magic 0x00061561, 20 u32 page size, 24 u8 encryption, 25 u8 type (8 = hash meta), 32 u32 last page number
///   every page header (26 bytes): 8 u32 page number, 16 u32 next page, 20 u16 entries, 22 u16 hf_offset, 25 u8 type
///   hash page (type 13, or 2 "unsorted" in old files): after the header, u16 item offsets, key/value pairs alternating;
///     item: u8 item type; 1 = inline data (length runs to the previous item), 3 = off-page: 3 pad bytes, u32 first page, u32 total length
///   overflow page (type 7): hf_offset bytes of the value after the header, continuing on the next page (0 ends the chain)
/// </code>
/// Every page is visited once in file order; an overflow chain is followed at most once per page of the file.
/// </summary>
internal static class RpmBerkeleyDbReader
{
    public const int MagicOffset = 12;
    public const uint HashMagic = 0x00061561;

    private const int PageHeaderBytes = 26;

    /// <summary>The metadata fields read here end with last_pgno at bytes 32..35.</summary>
    private const int MetadataBytes = 36;
    private const int MinPageBytes = 512;
    private const int MaxPageBytes = 65536;
    private const int OffPageItemBytes = 12;

    private const byte PageHashUnsorted = 2;
    private const byte PageOverflow = 7;
    private const byte PageHashMeta = 8;
    private const byte PageHash = 13;

    private const byte ItemKeyData = 1;
    private const byte ItemOffPage = 3;

    /// <summary>Inline values shorter than this are rpm's bookkeeping (record 0 holds the next instance number), not headers.</summary>
    private const int MinHeaderBytes = 16;

    public static void Read(ReadOnlySpan<byte> db, RpmDatabase.Sink sink)
    {
        if (db.Length < MetadataBytes)
        {
            throw new FootprintFormatException(sink.Source, 0, $"BerkeleyDB metadata needs {MetadataBytes} bytes; the file has {db.Length}");
        }

        var littleEndian = BinaryPrimitives.ReadUInt32LittleEndian(db[MagicOffset..]) == HashMagic;
        uint U32(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
        ushort U16(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

        long pageBytes = U32(db[20..]);
        if (pageBytes is < MinPageBytes or > MaxPageBytes || (pageBytes & (pageBytes - 1)) != 0)
        {
            throw new FootprintFormatException(sink.Source, 20, $"BerkeleyDB page size {pageBytes} is not a power of two in {MinPageBytes}..{MaxPageBytes}");
        }

        if (db[24] != 0)
        {
            throw new FootprintFormatException(sink.Source, 24, $"BerkeleyDB database is encrypted (algorithm {db[24]})");
        }

        if (db[25] != PageHashMeta)
        {
            throw new FootprintFormatException(sink.Source, 25, $"BerkeleyDB metadata page has type {db[25]}, not {PageHashMeta} (hash metadata)");
        }

        var lastPage = (long)U32(db[32..]);
        var pagesInFile = db.Length / pageBytes;
        if (lastPage + 1 > pagesInFile)
        {
            sink.Unknown(pagesInFile * pageBytes, $"BerkeleyDB file is truncated: metadata says {lastPage + 1} pages of {pageBytes} bytes, the file holds {pagesInFile} whole pages ({db.Length} bytes)");
        }

        var pages = Math.Min(lastPage + 1, pagesInFile);
        for (long p = 1; p < pages; p++)
        {
            var pageOffset = p * pageBytes;
            var page = db.Slice((int)pageOffset, (int)pageBytes);
            if (page[25] is not (PageHash or PageHashUnsorted))
            {
                continue;
            }

            int entries = U16(page[20..]);
            if (entries % 2 != 0 || PageHeaderBytes + (2L * entries) > pageBytes)
            {
                sink.Unknown(pageOffset + 20, $"BerkeleyDB hash page {p} claims {entries} items (must be key/value pairs within the page)");
                continue;
            }

            var itemsEnd = PageHeaderBytes + (2 * entries);
            for (var k = 0; k < entries; k += 2)
            {
                int keyAt = U16(page[(PageHeaderBytes + (2 * k))..]);
                int valueAt = U16(page[(PageHeaderBytes + (2 * (k + 1)))..]);
                if (valueAt < itemsEnd || valueAt >= pageBytes)
                {
                    sink.Unknown(pageOffset + PageHeaderBytes + (2 * (k + 1)), $"BerkeleyDB hash page {p} item {k + 1}: offset {valueAt} (key at {keyAt}) is outside the page's item area");
                    continue;
                }

                var itemOffset = pageOffset + valueAt;
                switch (page[valueAt])
                {
                    case ItemKeyData:
                        // Inline value: it runs up to the start of its key, the item stored just above it
                        // (db_page.h LEN_HITEM: an item ends where the previous index's item begins).
                        if (keyAt <= valueAt || keyAt > pageBytes)
                        {
                            sink.Unknown(itemOffset, $"BerkeleyDB inline item on page {p} at {valueAt} has no end (its key is at {keyAt})");
                            break;
                        }

                        var inline = page[(valueAt + 1)..keyAt];
                        if (inline.Length >= MinHeaderBytes)
                        {
                            sink.Blob(inline, itemOffset + 1);
                        }

                        break;

                    case ItemOffPage:
                        if (valueAt + OffPageItemBytes > pageBytes)
                        {
                            sink.Unknown(itemOffset, $"BerkeleyDB off-page item on page {p} overruns the page");
                            break;
                        }

                        var value = Reassemble(db, U32(page[(valueAt + 4)..]), U32(page[(valueAt + 8)..]), pageBytes, pages, itemOffset, sink, U32, U16);
                        if (value is not null)
                        {
                            sink.Blob(value, itemOffset, $"BerkeleyDB value of the item at offset {itemOffset} (offsets below are inside the reassembled value)");
                        }

                        break;

                    default:
                        sink.Unknown(itemOffset, $"BerkeleyDB item type {page[valueAt]} on page {p} is not one rpm writes");
                        break;
                }
            }
        }
    }

    /// <summary>Concatenates an overflow chain; null (with an unknown recorded) when it is broken.</summary>
    private static byte[]? Reassemble(
        ReadOnlySpan<byte> db, uint firstPage, uint totalBytes, long pageBytes, long pages, long itemOffset, RpmDatabase.Sink sink,
        Func<ReadOnlySpan<byte>, uint> u32, Func<ReadOnlySpan<byte>, ushort> u16)
    {
        // The value cannot be longer than every page of the file put together; anything longer is a lie.
        var capacity = pages * (pageBytes - PageHeaderBytes);
        if (totalBytes > capacity)
        {
            sink.Unknown(itemOffset, $"BerkeleyDB off-page value claims {totalBytes} bytes; the file's pages hold at most {capacity}");
            return null;
        }

        var value = new byte[totalBytes];
        var filled = 0;
        var next = (long)firstPage;
        for (long hops = 0; next != 0; hops++)
        {
            if (hops >= pages || next >= pages)
            {
                sink.Unknown(itemOffset, hops >= pages
                    ? $"BerkeleyDB overflow chain starting at page {firstPage} loops"
                    : $"BerkeleyDB overflow chain starting at page {firstPage} points to page {next}, beyond the {pages} pages in the file");
                return null;
            }

            var pageOffset = next * pageBytes;
            var page = db.Slice((int)pageOffset, (int)pageBytes);
            if (page[25] != PageOverflow)
            {
                sink.Unknown(pageOffset + 25, $"BerkeleyDB overflow chain starting at page {firstPage} reaches page {next} of type {page[25]}, not {PageOverflow} (overflow)");
                return null;
            }

            int length = u16(page[22..]);
            if (length > pageBytes - PageHeaderBytes || length > totalBytes - filled)
            {
                sink.Unknown(pageOffset + 22, $"BerkeleyDB overflow page {next} claims {length} bytes; {Math.Min(pageBytes - PageHeaderBytes, totalBytes - filled)} remain");
                return null;
            }

            page.Slice(PageHeaderBytes, length).CopyTo(value.AsSpan(filled));
            filled += length;
            next = u32(page[16..]);
        }

        if (filled != totalBytes)
        {
            sink.Unknown(itemOffset, $"BerkeleyDB overflow chain starting at page {firstPage} holds {filled} bytes; the item says {totalBytes}");
            return null;
        }

        return value;
    }
}
