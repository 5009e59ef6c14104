namespace Footprint.Formats.Squashfs;

/// <summary>
/// A regular file's content: its blocks in order from BlocksStart (size word 0 = a hole of zeros, squashfs-tools
/// writes whole zero blocks that way), then the tail from its fragment block. Read-only, forward or seeking.
/// </summary>
internal sealed class SquashfsFileStream : Stream
{
    private readonly SquashfsReader _reader;
    private readonly SquashfsInode _inode;
    private readonly string _name;
    private readonly long[] _blockStarts;
    private readonly int _blockSize;
    private long _position;

    public SquashfsFileStream(SquashfsReader reader, SquashfsInode inode, string name)
    {
        _reader = reader;
        _inode = inode;
        _name = name;
        _blockSize = reader.Superblock.BlockSize;
        _blockStarts = new long[inode.BlockSizes.Length];
        long at = inode.BlocksStart;
        for (int i = 0; i < _blockStarts.Length; i++)
        {
            _blockStarts[i] = at;
            at += inode.BlockSizes[i] & 0xFFFFFF;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _inode.FileSize;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _inode.FileSize || buffer.Length == 0)
        {
            return 0;
        }

        long blockIndex = _position / _blockSize;
        int inBlock = (int)(_position % _blockSize);
        long blockLogicalStart = blockIndex * _blockSize;
        int expected = (int)Math.Min(_blockSize, _inode.FileSize - blockLogicalStart);
        int n = Math.Min(buffer.Length, expected - inBlock);
        if (blockIndex < _inode.BlockSizes.Length)
        {
            uint word = _inode.BlockSizes[blockIndex];
            if ((word & 0xFFFFFF) == 0)
            {
                buffer[..n].Clear();
            }
            else
            {
                (byte[] data, int length) = _reader.ReadDataBlock(_blockStarts[blockIndex], word, _blockSize, $"'{_name}' block {blockIndex}");
                if (length != expected)
                {
                    throw _reader.Image.Error(_blockStarts[blockIndex], $"'{_name}' block {blockIndex} holds {length} bytes, {expected} expected");
                }

                data.AsSpan(inBlock, n).CopyTo(buffer);
            }
        }
        else
        {
            (byte[] data, int length) = _reader.ReadFragment(_inode.Fragment, _inode.Offset);
            if (_inode.FragmentOffset + (long)expected > length)
            {
                throw _reader.Image.Error(_inode.Offset, $"'{_name}': tail of {expected} bytes at {_inode.FragmentOffset} runs past fragment {_inode.Fragment} ({length} bytes)");
            }

            data.AsSpan((int)_inode.FragmentOffset + inBlock, n).CopyTo(buffer);
        }

        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _inode.FileSize + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
