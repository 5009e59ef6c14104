
namespace Footprint.Formats.Squashfs;

/// <summary>
/// A regular file's content: its blocks in order from BlocksStart (size word 0 = a hole of zeros, squashfs-tools
/// writes whole zero blocks that way), then the tail from its fragment block. Read-only, forward or seeking.
/// Reading forward, the next <see cref="Lookahead"/> blocks are read on the caller's thread and decompressed on the
/// thread pool while the current one is consumed: blocks are independent, and xz decoding is most of the cost.
/// </summary>
internal sealed class SquashfsFileStream : ReadOnlyStream
{
    private readonly SquashfsReader _reader;
    private readonly SquashfsInode _inode;
    private readonly string _name;
    private readonly long[] _blockStarts;
    private readonly int _blockSize;
    private const int Lookahead = 2;
    private readonly Dictionary<long, Task<byte[]>> _ahead = [];
    private long _currentIndex = -1;
    private byte[]? _current;
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

    public override bool CanSeek => true;

    public override long Length => _inode.FileSize;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

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
                byte[] data = Block(blockIndex);
                int length = data.Length;
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

    /// <summary>Data block <paramref name="index"/> decompressed, from the read-ahead when it was started there.</summary>
    private byte[] Block(long index)
    {
        if (index == _currentIndex && _current is not null)
        {
            return _current;
        }

        string What(long i) => $"'{_name}' block {i}";
        byte[] data = _ahead.Remove(index, out Task<byte[]>? pending)
            ? pending.GetAwaiter().GetResult()
            : _reader.ReadDataBlock(_blockStarts[index], _inode.BlockSizes[index], _blockSize, What(index)).Data;
        _currentIndex = index;
        _current = data;
        // From the second block on: a reader that wants only a file's head (the ELF or magic probes) reads block 0 alone.
        if (index >= 1 && Environment.ProcessorCount > 1)
        {
            for (long next = index + 1; next <= index + Lookahead && next < _inode.BlockSizes.Length; next++)
            {
                uint word = _inode.BlockSizes[next];
                if ((word & 0xFFFFFF) == 0 || _ahead.ContainsKey(next))
                {
                    continue;
                }

                long start = _blockStarts[next];
                string what = What(next);
                byte[] raw;
                try
                {
                    raw = _reader.ReadRawBlock(start, word, what);
                }
                catch (FootprintFormatException)
                {
                    // Not this block's problem: the block fails again, with this error, if and when it is read.
                    break;
                }

                _ahead[next] = Task.Run(() => _reader.DecodeRawBlock(raw, start, word, _blockSize, what));
            }
        }

        return data;
    }

    protected override void Dispose(bool disposing)
    {
        SquashfsReader.ForgetAhead(_ahead.Values);
        _ahead.Clear();
        base.Dispose(disposing);
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
}
