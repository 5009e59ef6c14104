using System.Buffers.Binary;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// A table of fixed-size entries in metadata blocks reached through an index (squashfs.rst: the fragment, export and
/// id tables, and the xattr id table): at <c>indexStart</c>, one 64-bit image offset per metadata block. Blocks are
/// read on demand, so a hostile entry count costs nothing until its entries are actually used.
/// </summary>
internal sealed class SquashfsLookupTable
{
    private readonly SquashfsImage _image;
    private readonly long _indexStart;
    private readonly int _entryBytes;
    private readonly string _what;
    private readonly long _dataStart;
    private readonly Dictionary<int, byte[]> _blocks = [];

    public SquashfsLookupTable(SquashfsImage image, long indexStart, long count, int entryBytes, long dataStart, string what)
    {
        _image = image;
        _indexStart = indexStart;
        _entryBytes = entryBytes;
        _what = what;
        _dataStart = dataStart;
        Count = count;
        long blocks = BlockCount(count, entryBytes);
        if (indexStart < SquashfsSuperblock.SizeBytes || indexStart > image.ImageBytes || blocks * 8 > image.ImageBytes - indexStart)
        {
            throw image.Error(indexStart, $"{what}: index of {blocks} blocks ({count} entries) at {indexStart} lies outside the image ({image.ImageBytes} bytes used)");
        }
    }

    public long Count { get; }

    public static long BlockCount(long count, int entryBytes) => ((count * entryBytes) + SquashfsImage.MetadataBlockBytes - 1) / SquashfsImage.MetadataBlockBytes;

    /// <summary>The bytes of entry <paramref name="index"/> (a fresh copy).</summary>
    public ReadOnlySpan<byte> Entry(long index, long errorOffset)
    {
        if (index < 0 || index >= Count)
        {
            throw _image.Error(errorOffset, $"{_what}: index {index} out of range (table has {Count} entries)");
        }

        long byteOffset = index * _entryBytes;
        int blockNumber = (int)(byteOffset / SquashfsImage.MetadataBlockBytes);
        int inBlock = (int)(byteOffset % SquashfsImage.MetadataBlockBytes);
        if (!_blocks.TryGetValue(blockNumber, out byte[]? data))
        {
            Span<byte> pointer = stackalloc byte[8];
            long pointerAt = _indexStart + (8L * blockNumber);
            _image.ReadExactly(pointerAt, pointer, _what);
            ulong blockStart = BinaryPrimitives.ReadUInt64LittleEndian(pointer);

            // The metadata blocks are written before their index.
            if (blockStart > (ulong)_indexStart)
            {
                throw _image.Error(pointerAt, $"{_what}: metadata block pointer {blockStart} is past the table index at {_indexStart}");
            }

            SquashfsImage.MetadataBlock block = _image.ReadMetadata((long)blockStart, _dataStart, _indexStart, _what);
            long expected = Math.Min(SquashfsImage.MetadataBlockBytes, (Count * _entryBytes) - ((long)blockNumber * SquashfsImage.MetadataBlockBytes));
            if (block.Length < expected)
            {
                throw _image.Error((long)blockStart, $"{_what}: metadata block holds {block.Length} bytes, {expected} expected");
            }

            data = block.Data;
            _blocks[blockNumber] = data;
        }

        return data.AsSpan(inBlock, _entryBytes);
    }
}
