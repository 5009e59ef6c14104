using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// Extended attributes (squashfs.rst "Extended attributes"; squashfs-tools <c>squashfs_fs.h</c> squashfs_xattr_*).
/// At xattr_id_table_start: the xattr table's start (u64), the id count (u32), 4 unused bytes, then the index of the
/// id table's metadata blocks. Each 16-byte id: a reference into the xattr table (block &lt;&lt; 16 | offset), the pair
/// count and their total size. Each pair: type (u16: 0 user, 1 trusted, 2 security; 0x100 = value stored out of line),
/// name size, name without prefix; value size (u32) and value, or for an out-of-line value a u64 reference to it.
/// </summary>
internal sealed class SquashfsXattrTable
{
    private const int IdEntryBytes = 16;
    private const ushort OutOfLineFlag = 0x100;

    /// <summary>Linux's XATTR_SIZE_MAX.</summary>
    private const int MaxValueBytes = 65536;
    private static readonly string[] Prefixes = ["user.", "trusted.", "security."];

    private readonly SquashfsImage _image;
    private readonly long _tableStart;
    private readonly long _tableEnd;
    private readonly SquashfsLookupTable _ids;
    private readonly Dictionary<uint, IReadOnlyDictionary<string, byte[]>> _cache = [];

    public SquashfsXattrTable(SquashfsImage image, long idTableStart, long lowestTableStart)
    {
        _image = image;
        Span<byte> head = stackalloc byte[16];
        image.ReadExactly(idTableStart, head, "xattr id table");
        ulong tableStart = BinaryPrimitives.ReadUInt64LittleEndian(head);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        if (tableStart < (ulong)lowestTableStart || tableStart > (ulong)idTableStart)
        {
            throw image.Error(idTableStart, $"xattr table start {tableStart} is outside [{lowestTableStart}, {idTableStart}]");
        }

        if (count > image.ImageBytes)
        {
            throw image.Error(idTableStart, $"absurd xattr id count {count}");
        }

        _tableStart = (long)tableStart;
        _tableEnd = idTableStart;
        _ids = new SquashfsLookupTable(image, idTableStart + 16, count, IdEntryBytes, _tableStart, "xattr id table");
    }

    public IReadOnlyDictionary<string, byte[]> Read(uint index, long inodeOffset)
    {
        if (_cache.TryGetValue(index, out IReadOnlyDictionary<string, byte[]>? hit))
        {
            return hit;
        }

        ReadOnlySpan<byte> id = _ids.Entry(index, inodeOffset);
        ulong reference = BinaryPrimitives.ReadUInt64LittleEndian(id);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(id[8..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(id[12..]);
        long block = (long)(reference >> 16);
        if ((ulong)block >= (ulong)(_tableEnd - _tableStart) || count > size || size > 1 << 24)
        {
            throw _image.Error(inodeOffset, $"xattr id {index}: reference 0x{reference:x}, {count} pairs, {size} bytes is out of range");
        }

        var cursor = new SquashfsMetadataCursor(_image, _tableStart, _tableEnd, _tableStart + block, (int)(reference & 0xFFFF), $"xattrs of id {index}");
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            ushort type = cursor.U16();
            int nameSize = cursor.U16();
            int prefix = type & ~OutOfLineFlag;
            if (prefix > 2 || (type & ~(OutOfLineFlag | 3)) != 0 || nameSize > 255)
            {
                throw _image.Error(cursor.ErrorOffset, $"xattr id {index}: bad key type 0x{type:x} or name size {nameSize}");
            }

            string name = Prefixes[prefix] + Encoding.UTF8.GetString(cursor.Bytes(nameSize));
            uint valueSize = cursor.U32();
            byte[] value;
            if ((type & OutOfLineFlag) != 0)
            {
                if (valueSize != 8)
                {
                    throw _image.Error(cursor.ErrorOffset, $"xattr id {index}: out-of-line value reference of {valueSize} bytes (8 expected)");
                }

                ulong valueRef = cursor.U64();
                value = ReadOutOfLine(valueRef, index);
            }
            else
            {
                if (valueSize > MaxValueBytes)
                {
                    throw _image.Error(cursor.ErrorOffset, $"xattr id {index}: value of {valueSize} bytes (Linux allows {MaxValueBytes})");
                }

                value = cursor.Bytes((int)valueSize);
            }

            result[name] = value;
        }

        _cache[index] = result;
        return result;
    }

    private byte[] ReadOutOfLine(ulong reference, uint index)
    {
        long block = (long)(reference >> 16);
        if ((ulong)block >= (ulong)(_tableEnd - _tableStart))
        {
            throw _image.Error(_tableStart, $"xattr id {index}: out-of-line value reference 0x{reference:x} points outside the xattr table");
        }

        var cursor = new SquashfsMetadataCursor(_image, _tableStart, _tableEnd, _tableStart + block, (int)(reference & 0xFFFF), $"xattr value of id {index}");
        uint size = cursor.U32();
        if (size > MaxValueBytes)
        {
            throw _image.Error(cursor.ErrorOffset, $"xattr id {index}: out-of-line value of {size} bytes");
        }

        return cursor.Bytes((int)size);
    }
}
