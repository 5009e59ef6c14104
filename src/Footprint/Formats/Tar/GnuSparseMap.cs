using System.Globalization;

namespace Footprint.Formats.Tar;

/// <summary>
/// The segment map of a GNU sparse file: which byte ranges of the logical file are stored in the archive, in order;
/// everything else reads as zeros. GNU tar manual, "Storing Sparse Files" / "Sparse Formats" describes four encodings,
/// all parsed here: old GNU ('S' typeflag, map in the header and extension blocks), PAX 0.0 (repeated
/// GNU.sparse.offset / GNU.sparse.numbytes records), PAX 0.1 (GNU.sparse.map, comma separated) and PAX 1.0 (map as
/// decimal lines at the start of the data area, padded to a block).
/// </summary>
internal sealed class GnuSparseMap
{
    /// <summary>Upper bound on segments in one map; a real file with more holes than this is implausible.</summary>
    public const int MaxSegments = 1 << 20;

    private const int MaxDecimalDigits = 19;

    public GnuSparseMap(List<(long Offset, long Length)> segments, long realSizeBytes)
    {
        Segments = segments;
        RealSizeBytes = realSizeBytes;
    }

    public List<(long Offset, long Length)> Segments { get; }

    public long RealSizeBytes { get; }

    public long StoredBytes { get; private set; }

    /// <summary>
    /// Checks that segments are in increasing, non-overlapping order, inside the logical size, and that they add up to
    /// the stored data size; a map that fails would make the reconstructed file ambiguous.
    /// </summary>
    public void Validate(string sourceName, long headerOffset, long storedBytes)
    {
        if (RealSizeBytes < 0)
        {
            throw Bad(sourceName, headerOffset, $"sparse real size {RealSizeBytes} is negative");
        }

        long end = 0;
        long sum = 0;
        foreach ((long offset, long length) in Segments)
        {
            if (offset < end || length < 0 || offset > RealSizeBytes || length > RealSizeBytes - offset)
            {
                throw Bad(sourceName, headerOffset,
                    $"sparse map segment ({offset}, {length}) is out of order or outside the real size {RealSizeBytes}");
            }

            end = offset + length;
            sum += length;
        }

        if (sum != storedBytes)
        {
            throw Bad(sourceName, headerOffset, $"sparse map covers {sum} bytes but {storedBytes} are stored");
        }

        StoredBytes = sum;
    }

    /// <summary>Old GNU: up to four entries in the header, then 21 per extension block while isextended is set.</summary>
    public static GnuSparseMap ReadOldGnu(ReadOnlySpan<byte> header, Stream extensionSource, TarEntryDataStream raw, string sourceName, long headerOffset)
    {
        var segments = new List<(long, long)>();
        if (!TarHeaderBlock.TryParseNumeric(header.Slice(TarHeaderBlock.OldGnuRealSizeOffset, 12), out long realSize))
        {
            throw Bad(sourceName, headerOffset, "old GNU sparse header has an invalid real size");
        }

        AddEntries(header.Slice(TarHeaderBlock.OldGnuSparseMapOffset, TarHeaderBlock.OldGnuSparseEntriesInHeader * TarHeaderBlock.SparseEntryLengthBytes),
            segments, sourceName, headerOffset);
        bool extended = header[TarHeaderBlock.OldGnuIsExtendedOffset] != 0;
        Span<byte> block = stackalloc byte[TarHeaderBlock.BlockSizeBytes];
        while (extended)
        {
            if (segments.Count > MaxSegments)
            {
                throw Bad(sourceName, headerOffset, $"sparse map has more than {MaxSegments} segments");
            }

            raw.AddExtraBytes(TarHeaderBlock.BlockSizeBytes);
            extensionSource.ReadExactly(block);
            AddEntries(block[..(TarHeaderBlock.OldGnuEntriesInExtensionBlock * TarHeaderBlock.SparseEntryLengthBytes)], segments, sourceName, headerOffset);
            extended = block[TarHeaderBlock.OldGnuExtensionIsExtendedOffset] != 0;
        }

        return new GnuSparseMap(segments, realSize);
    }

    // Entries are (offset, numbytes) pairs of 12-byte numeric fields; an entry whose offset field is empty ends the list.
    private static void AddEntries(ReadOnlySpan<byte> entries, List<(long, long)> segments, string sourceName, long headerOffset)
    {
        for (int i = 0; i + TarHeaderBlock.SparseEntryLengthBytes <= entries.Length; i += TarHeaderBlock.SparseEntryLengthBytes)
        {
            ReadOnlySpan<byte> offsetField = entries.Slice(i, 12);
            if (offsetField[0] == 0)
            {
                return;
            }

            if (!TarHeaderBlock.TryParseNumeric(offsetField, out long offset)
                || !TarHeaderBlock.TryParseNumeric(entries.Slice(i + 12, 12), out long length))
            {
                throw Bad(sourceName, headerOffset, "old GNU sparse map has an invalid number");
            }

            segments.Add((offset, length));
        }
    }

    /// <summary>PAX 0.0: GNU.sparse.numblocks, then GNU.sparse.offset and GNU.sparse.numbytes repeated in order.</summary>
    public static GnuSparseMap FromPax00(List<KeyValuePair<string, byte[]>> records, long realSize, string sourceName, long headerOffset)
    {
        var segments = new List<(long, long)>();
        long? pendingOffset = null;
        foreach (KeyValuePair<string, byte[]> record in records)
        {
            if (record.Key == "GNU.sparse.offset")
            {
                if (pendingOffset is not null)
                {
                    throw Bad(sourceName, headerOffset, "GNU.sparse.offset without GNU.sparse.numbytes");
                }

                pendingOffset = ParseDecimal(System.Text.Encoding.ASCII.GetString(record.Value), sourceName, headerOffset);
            }
            else if (record.Key == "GNU.sparse.numbytes")
            {
                if (pendingOffset is not { } offset)
                {
                    throw Bad(sourceName, headerOffset, "GNU.sparse.numbytes without GNU.sparse.offset");
                }

                if (segments.Count >= MaxSegments)
                {
                    throw Bad(sourceName, headerOffset, $"sparse map has more than {MaxSegments} segments");
                }

                segments.Add((offset, ParseDecimal(System.Text.Encoding.ASCII.GetString(record.Value), sourceName, headerOffset)));
                pendingOffset = null;
            }
        }

        CheckBlockCount(records, segments.Count, sourceName, headerOffset);
        return new GnuSparseMap(segments, realSize);
    }

    /// <summary>PAX 0.1: GNU.sparse.map = "offset,numbytes,offset,numbytes,...".</summary>
    public static GnuSparseMap FromPax01(string map, List<KeyValuePair<string, byte[]>> records, long realSize, string sourceName, long headerOffset)
    {
        var segments = new List<(long, long)>();
        if (map.Length > 0)
        {
            string[] parts = map.Split(',');
            if (parts.Length % 2 != 0 || parts.Length / 2 > MaxSegments)
            {
                throw Bad(sourceName, headerOffset, "GNU.sparse.map has an odd or excessive number of values");
            }

            for (int i = 0; i < parts.Length; i += 2)
            {
                segments.Add((ParseDecimal(parts[i], sourceName, headerOffset), ParseDecimal(parts[i + 1], sourceName, headerOffset)));
            }
        }

        CheckBlockCount(records, segments.Count, sourceName, headerOffset);
        return new GnuSparseMap(segments, realSize);
    }

    /// <summary>
    /// PAX 1.0: the data area starts with the number of segments, then offset and size of each, one decimal number per
    /// line, padded with NULs to a block boundary. Returns the map and how many data bytes it occupied.
    /// </summary>
    public static GnuSparseMap ReadPax10(Stream raw, long realSize, string sourceName, long headerOffset, out long mapBytes)
    {
        var reader = new BlockLineReader(raw, sourceName, headerOffset);
        long count = ParseDecimal(reader.ReadLine(), sourceName, headerOffset);
        if (count > MaxSegments)
        {
            throw Bad(sourceName, headerOffset, $"sparse map has {count} segments, more than {MaxSegments}");
        }

        var segments = new List<(long, long)>(); // grown as entries are read, never sized from the input
        for (long i = 0; i < count; i++)
        {
            long offset = ParseDecimal(reader.ReadLine(), sourceName, headerOffset);
            long length = ParseDecimal(reader.ReadLine(), sourceName, headerOffset);
            segments.Add((offset, length));
        }

        mapBytes = reader.BytesConsumed;
        return new GnuSparseMap(segments, realSize);
    }

    public static long ParseDecimal(string text, string sourceName, long headerOffset)
    {
        if (text.Length == 0 || text.Length > MaxDecimalDigits
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw Bad(sourceName, headerOffset, $"invalid number '{Truncate(text)}' in sparse map");
        }

        return value;
    }

    private static void CheckBlockCount(List<KeyValuePair<string, byte[]>> records, int actual, string sourceName, long headerOffset)
    {
        string? numBlocks = PaxRecords.LastString(records, "GNU.sparse.numblocks");
        if (numBlocks is not null && ParseDecimal(numBlocks, sourceName, headerOffset) != actual)
        {
            throw Bad(sourceName, headerOffset, $"GNU.sparse.numblocks is {numBlocks} but the map has {actual} segments");
        }
    }

    private static string Truncate(string s) => s.Length > 32 ? s[..32] + "..." : s;

    private static FootprintFormatException Bad(string source, long offset, string message) => new(source, offset, message);

    /// <summary>Reads newline-terminated decimal lines block by block, so the map consumes whole blocks.</summary>
    private sealed class BlockLineReader(Stream raw, string sourceName, long headerOffset)
    {
        private readonly byte[] _block = new byte[TarHeaderBlock.BlockSizeBytes];
        private int _pos = TarHeaderBlock.BlockSizeBytes;

        public long BytesConsumed { get; private set; }

        public string ReadLine()
        {
            var line = new System.Text.StringBuilder();
            while (true)
            {
                if (_pos == _block.Length)
                {
                    raw.ReadExactly(_block);
                    BytesConsumed += _block.Length;
                    _pos = 0;
                }

                byte b = _block[_pos++];
                if (b == (byte)'\n')
                {
                    return line.ToString();
                }

                if (b is < (byte)'0' or > (byte)'9' || line.Length >= MaxDecimalDigits)
                {
                    throw Bad(sourceName, headerOffset, "malformed sparse 1.0 map in data area");
                }

                line.Append((char)b);
            }
        }
    }
}
