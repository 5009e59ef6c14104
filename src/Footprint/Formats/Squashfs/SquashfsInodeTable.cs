using System.Text;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// The inode table (squashfs.rst "Inodes"): decodes one inode from its reference, checking every field against the
/// superblock (inode count, id table, fragment count, image size) before the reader trusts it.
/// </summary>
internal sealed class SquashfsInodeTable
{
    private readonly SquashfsImage _image;
    private readonly uint[] _ids;
    private readonly long _inodeTableStart;
    private readonly long _inodeTableEnd;
    private readonly uint _inodeCount;
    private readonly int _blockSize;
    private readonly uint _fragmentCount;

    /// <param name="image">The image the table lies in.</param>
    /// <param name="superblock">Gives the table's bounds (inode table start to directory table start) and the counts checked against.</param>
    /// <param name="ids">The id table: inodes hold indexes into it.</param>
    public SquashfsInodeTable(SquashfsImage image, SquashfsSuperblock superblock, uint[] ids)
    {
        _image = image;
        _ids = ids;
        _inodeTableStart = (long)superblock.InodeTableStart;
        _inodeTableEnd = (long)superblock.DirectoryTableStart;
        _inodeCount = superblock.InodeCount;
        _blockSize = superblock.BlockSize;
        _fragmentCount = superblock.FragmentCount;
    }

    /// <summary>Decodes the inode at <paramref name="reference"/> (block start relative to the inode table &lt;&lt; 16 | offset).</summary>
    public SquashfsInode Read(ulong reference, string what)
    {
        long block = (long)(reference >> 16);
        int offset = (int)(reference & 0xFFFF);
        if ((ulong)block >= (ulong)(_inodeTableEnd - _inodeTableStart))
        {
            throw _image.Error(_inodeTableStart, $"{what}: inode reference 0x{reference:x} points outside the inode table");
        }

        long position = _inodeTableStart + block;
        var c = new SquashfsMetadataCursor(_image, _inodeTableStart, _inodeTableEnd, position, offset, what);
        int type = c.U16();
        int mode = c.U16();
        int uidIndex = c.U16();
        int gidIndex = c.U16();
        uint mtime = c.U32();
        uint number = c.U32();
        if (type is < 1 or > 14)
        {
            throw _image.Error(position, $"{what}: bad inode type {type}");
        }

        if (number < 1 || number > _inodeCount)
        {
            throw _image.Error(position, $"{what}: inode number {number} outside 1..{_inodeCount}");
        }

        if (uidIndex >= _ids.Length || gidIndex >= _ids.Length)
        {
            throw _image.Error(position, $"{what}: uid/gid index {uidIndex}/{gidIndex} outside the id table ({_ids.Length} ids)");
        }

        var h = new InodeHeader(type, mode & 0xFFF, _ids[uidIndex], _ids[gidIndex], mtime, number, position);
        switch (type)
        {
            case 1:
            {
                uint start = c.U32();
                uint nlink = c.U32();
                ushort size = c.U16();
                ushort dirOffset = c.U16();
                uint parent = c.U32();
                return Make(h, nlink, SquashfsInode.NoXattr, size, directoryStart: start, directoryOffset: dirOffset, parent: parent);
            }

            case 8:
            {
                uint nlink = c.U32();
                uint size = c.U32();
                uint start = c.U32();
                uint parent = c.U32();
                int indexCount = c.U16();
                ushort dirOffset = c.U16();
                uint xattr = c.U32();

                // The directory index (one entry per metadata block of the listing: byte index, block start, name)
                // only speeds up lookups; it is read past and checked, not used.
                for (int i = 0; i < indexCount; i++)
                {
                    uint index = c.U32();
                    _ = c.U32();
                    uint nameSize = c.U32() + 1;
                    if (index > size || nameSize is < 1 or > 256)
                    {
                        throw _image.Error(position, $"{what}: bad directory index entry {i} (index {index}, name size {nameSize})");
                    }

                    c.Skip(nameSize);
                }

                return Make(h, nlink, xattr, size, directoryStart: start, directoryOffset: dirOffset, parent: parent);
            }

            case 2:
            case 9:
                return ReadFileInode(h, c, what);

            case 3:
            case 10:
            {
                uint nlink = c.U32();
                uint size = c.U32();
                if (size == 0 || size > 4096)
                {
                    throw _image.Error(position, $"{what}: symlink target of {size} bytes (1..4096)");
                }

                byte[] target = c.Bytes((int)size);
                uint xattr = type == 10 ? c.U32() : SquashfsInode.NoXattr;
                return Make(h, nlink, xattr, size, target: Encoding.UTF8.GetString(target));
            }

            case 4 or 5 or 11 or 12:
            {
                uint nlink = c.U32();
                uint rdev = c.U32();
                uint xattr = type > 7 ? c.U32() : SquashfsInode.NoXattr;
                return Make(h, nlink, xattr, 0, rdev: rdev);
            }

            default:
            {
                uint nlink = c.U32();
                uint xattr = type > 7 ? c.U32() : SquashfsInode.NoXattr;
                return Make(h, nlink, xattr, 0);
            }
        }
    }

    private readonly record struct InodeHeader(int Type, int Mode, uint Uid, uint Gid, uint ModificationTime, uint Number, long Offset);

    private static SquashfsInode Make(
        InodeHeader h, uint nlink, uint xattr, long size, uint directoryStart = 0, int directoryOffset = 0, uint parent = 0,
        string? target = null, uint rdev = 0)
        => new()
        {
            Type = h.Type,
            Mode = h.Mode,
            Uid = h.Uid,
            Gid = h.Gid,
            ModificationTime = h.ModificationTime,
            Number = h.Number,
            Offset = h.Offset,
            LinkCount = nlink,
            XattrIndex = xattr,
            FileSize = size,
            DirectoryStartBlock = directoryStart,
            DirectoryOffset = directoryOffset,
            ParentInode = parent,
            Target = target,
            Rdev = rdev,
        };

    /// <summary>
    /// Basic (type 2) and extended (type 9) regular files: blocks start, fragment index and offset, size, then one
    /// 32-bit size word per full block (and per partial last block when there is no fragment).
    /// </summary>
    private SquashfsInode ReadFileInode(InodeHeader h, SquashfsMetadataCursor c, string what)
    {
        long blocksStart;
        long size;
        uint fragment;
        uint fragmentOffset;
        uint xattr = SquashfsInode.NoXattr;
        uint nlink = 1;
        if (h.Type == 2)
        {
            blocksStart = c.U32();
            fragment = c.U32();
            fragmentOffset = c.U32();
            size = c.U32();
        }
        else
        {
            ulong start = c.U64();
            ulong fileSize = c.U64();
            _ = c.U64(); // sparse: bytes saved by holes, informational
            nlink = c.U32();
            fragment = c.U32();
            fragmentOffset = c.U32();
            xattr = c.U32();
            if (start > (ulong)_image.ImageBytes || fileSize > long.MaxValue / 2)
            {
                throw _image.Error(h.Offset, $"{what}: blocks start {start} or size {fileSize} is absurd");
            }

            blocksStart = (long)start;
            size = (long)fileSize;
        }

        if (blocksStart > _image.ImageBytes)
        {
            throw _image.Error(h.Offset, $"{what}: blocks start {blocksStart} is outside the image");
        }

        int blockSize = _blockSize;
        bool hasFragment = fragment != SquashfsInode.NoFragment;
        long blockCount = hasFragment ? size / blockSize : (size + blockSize - 1) / blockSize;
        if (hasFragment)
        {
            long tail = size % blockSize;
            if (tail == 0 || fragmentOffset >= blockSize || fragmentOffset + tail > blockSize || fragment >= _fragmentCount)
            {
                throw _image.Error(h.Offset, $"{what}: bad fragment {fragment} offset {fragmentOffset} for a tail of {tail} bytes");
            }
        }

        // Each block costs 4 bytes of the inode table, whose decompressed size is bounded by its on-disk size.
        long maxBlocks = ((_inodeTableEnd - _inodeTableStart) / 3 + 1) * SquashfsImage.MetadataBlockBytes / 4;
        if (blockCount > maxBlocks)
        {
            throw _image.Error(h.Offset, $"{what}: {blockCount} blocks cannot be listed in an inode table of {_inodeTableEnd - _inodeTableStart} bytes");
        }

        var sizes = new List<uint>((int)Math.Min(blockCount, 4096));
        long stored = 0;
        for (long i = 0; i < blockCount; i++)
        {
            uint word = c.U32();
            stored += word & 0xFFFFFF;
            sizes.Add(word);
        }

        if (blocksStart + stored > _image.ImageBytes)
        {
            throw _image.Error(h.Offset, $"{what}: {stored} bytes of blocks from {blocksStart} run past the image end {_image.ImageBytes}");
        }

        return Make(h, nlink, xattr, size) with
        {
            BlocksStart = blocksStart,
            Fragment = fragment,
            FragmentOffset = fragmentOffset,
            BlockSizes = [.. sizes],
        };
    }
}
