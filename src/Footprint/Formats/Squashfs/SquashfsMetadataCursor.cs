using System.Buffers.Binary;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// Sequential reads through a metadata table (inode, directory, xattr tables): a position is (block start, offset in
/// the decompressed block), and a read crossing a block's end continues in the next block. squashfs.rst: "a reference
/// ... upper bits: the block's position relative to the table start; lower 16 bits: the offset inside it".
/// </summary>
internal sealed class SquashfsMetadataCursor
{
    private readonly SquashfsImage _image;
    private readonly long _regionStart;
    private readonly long _regionEnd;
    private readonly string _what;
    private SquashfsImage.MetadataBlock _block;
    private long _blockPosition;
    private int _offset;

    public SquashfsMetadataCursor(SquashfsImage image, long regionStart, long regionEnd, long blockPosition, int offset, string what)
    {
        _image = image;
        _regionStart = regionStart;
        _regionEnd = regionEnd;
        _what = what;
        _blockPosition = blockPosition;
        _block = image.ReadMetadata(blockPosition, regionStart, regionEnd, what);
        if (offset < 0 || offset > _block.Length)
        {
            throw image.Error(blockPosition, $"{what}: offset {offset} is past the end of its {_block.Length}-byte metadata block");
        }

        _offset = offset;
    }

    /// <summary>The image offset of the current block (for error messages).</summary>
    public long BlockPosition => _blockPosition;

    /// <summary>A position for errors: the block's image offset (the offset inside it is in the message).</summary>
    public long ErrorOffset => _blockPosition;

    public void Read(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_offset >= _block.Length)
            {
                _blockPosition = _block.Next;
                _block = _image.ReadMetadata(_blockPosition, _regionStart, _regionEnd, _what);
                _offset = 0;
            }

            int n = Math.Min(destination.Length, _block.Length - _offset);
            _block.Data.AsSpan(_offset, n).CopyTo(destination);
            _offset += n;
            destination = destination[n..];
        }
    }

    public void Skip(long count)
    {
        Span<byte> scratch = stackalloc byte[256];
        while (count > 0)
        {
            int n = (int)Math.Min(count, scratch.Length);
            Read(scratch[..n]);
            count -= n;
        }
    }

    public ushort U16()
    {
        Span<byte> b = stackalloc byte[2];
        Read(b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint U32()
    {
        Span<byte> b = stackalloc byte[4];
        Read(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public ulong U64()
    {
        Span<byte> b = stackalloc byte[8];
        Read(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    public byte[] Bytes(int count)
    {
        byte[] b = new byte[count];
        Read(b);
        return b;
    }
}
