using System.Buffers;

namespace Footprint.Formats.Tar;

/// <summary>
/// The stored bytes of one entry: the BCL entry's length-bounded data stream, optionally followed by
/// extra bytes (see <see cref="AddExtraBytes"/>) read straight from the archive. The extra bytes exist for old GNU sparse files, whose
/// extension blocks follow the header but are not counted in its size field (GNU tar manual, "Old GNU Format"),
/// so the BCL reader's idea of where the data ends is short by exactly those blocks. Whole blocks keep the
/// padding after the data unchanged, so the BCL reader stays aligned.
/// A source that ends early throws <see cref="FootprintFormatException"/> instead of returning a short entry.
/// </summary>
internal sealed class TarEntryDataStream : ReadOnlyStream
{
    private const int DrainBufferBytes = 64 << 10;

    private readonly Stream? _data;
    private readonly TarHeaderRecorder _archive;
    private readonly string _sourceName;
    private readonly string _entryName;
    private long _dataRemaining;
    private long _extraRemaining;
    private long _position;

    public TarEntryDataStream(Stream? data, long dataLengthBytes, TarHeaderRecorder archive, string sourceName, string entryName)
    {
        _data = data;
        _dataRemaining = data is null ? 0 : dataLengthBytes;
        _archive = archive;
        _sourceName = sourceName;
        _entryName = entryName;
    }

    /// <summary>Stored bytes not yet read.</summary>
    public long RemainingBytes => _dataRemaining + _extraRemaining;

    /// <summary>Extends the entry by whole blocks that the BCL reader does not know belong to it.</summary>
    public void AddExtraBytes(long bytes) => _extraRemaining += bytes;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        if (_dataRemaining > 0)
        {
            Span<byte> target = buffer[..(int)Math.Min(buffer.Length, _dataRemaining)];
            n = ReadChecked(_data!, target);
            _dataRemaining -= n;
        }
        else if (_extraRemaining > 0)
        {
            Span<byte> target = buffer[..(int)Math.Min(buffer.Length, _extraRemaining)];
            n = ReadChecked(_archive, target);
            _extraRemaining -= n;
        }
        else
        {
            return 0;
        }

        _position += n;
        return n;
    }

    /// <summary>Reads and discards what is left, so the archive is positioned at the entry's padding.</summary>
    public void Drain()
    {
        if (RemainingBytes == 0)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(DrainBufferBytes);
        try
        {
            while (Read(buffer) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int ReadChecked(Stream source, Span<byte> target)
    {
        int n;
        try
        {
            n = source.Read(target);
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (TarArchiveReader.IsFormatError(ex))
        {
            throw new FootprintFormatException(_sourceName, _archive.Position, $"reading data of '{_entryName}': {ex.Message}", ex);
        }

        if (n == 0)
        {
            throw new FootprintFormatException(_sourceName, _archive.Position,
                $"archive is truncated: data of '{_entryName}' ends {RemainingBytes} bytes early");
        }

        return n;
    }
}
