namespace Footprint.Formats.Tar;

/// <summary>
/// A forward-only stream between <see cref="TarArchiveReader"/> and the BCL <see cref="System.Formats.Tar.TarReader"/>.
/// It counts the bytes consumed and, while recording, keeps the bytes the BCL reader pulls during one
/// <c>GetNextEntry</c> call: the previous entry's block padding, then the extended headers (PAX 'x'/'g', GNU 'L'/'K')
/// with their data, then the entry's own header. Each header block is checksum-verified the moment it is complete,
/// before the BCL reader acts on it, so a forged size field in a metadata header is rejected before anything is
/// allocated for it. It reports <see cref="CanSeek"/> false on purpose: that keeps the BCL reader on its streaming
/// path, where it reads exactly the header and metadata bytes and nothing ahead.
/// </summary>
internal sealed class TarHeaderRecorder : Stream
{
    /// <summary>Largest data area accepted for one PAX or GNU long-name header (POSIX sets no limit; real ones are a few KiB).</summary>
    public const int MaxMetadataBytes = 1 << 20;

    /// <summary>Cap on everything recorded in one call: padding, several metadata headers and the main header.</summary>
    private const int MaxRecordedBytes = MaxMetadataBytes + (64 << 10);
    private const int InitialBufferBytes = 16 << 10;

    private readonly Stream _inner;
    private readonly string _sourceName;
    private readonly bool _leaveOpen;
    private readonly List<RecordedHeader> _headers = [];
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _recordedBytes;
    private bool _recording;
    private long _nextHeaderAt;
    private bool _walkDone;
    private long _position;

    public TarHeaderRecorder(Stream inner, string sourceName, bool leaveOpen)
    {
        _inner = inner;
        _sourceName = sourceName;
        _leaveOpen = leaveOpen;
    }

    /// <summary>One header block seen while recording; offsets are relative to <see cref="RecordStart"/>.</summary>
    public readonly record struct RecordedHeader(int BlockOffset, byte TypeFlag, long DataSizeBytes);

    /// <summary>Absolute stream offset of the first recorded byte.</summary>
    public long RecordStart { get; private set; }

    public IReadOnlyList<RecordedHeader> Headers => _headers;

    /// <summary>True when the walk reached an all-zero block (end-of-archive marker).</summary>
    public bool SawEndMarker { get; private set; }

    public ReadOnlySpan<byte> Recorded => _buffer.AsSpan(0, _recordedBytes);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Starts recording; the first <paramref name="paddingBytes"/> recorded bytes are the previous entry's padding.</summary>
    public void BeginRecording(long paddingBytes)
    {
        _recording = true;
        _recordedBytes = 0;
        _headers.Clear();
        _nextHeaderAt = paddingBytes;
        _walkDone = false;
        SawEndMarker = false;
        RecordStart = _position;
    }

    public void EndRecording() => _recording = false;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        _position += n;
        if (_recording && n > 0)
        {
            Append(buffer[..n]);
        }

        return n;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_recordedBytes + data.Length > MaxRecordedBytes)
        {
            throw new FootprintFormatException(_sourceName, RecordStart,
                $"extended headers exceed {MaxRecordedBytes} bytes");
        }

        if (_recordedBytes + data.Length > _buffer.Length)
        {
            int size = Math.Min(MaxRecordedBytes, Math.Max(_buffer.Length * 2, _recordedBytes + data.Length));
            Array.Resize(ref _buffer, size);
        }

        data.CopyTo(_buffer.AsSpan(_recordedBytes));
        _recordedBytes += data.Length;
        WalkHeaders();
    }

    // Walks every header block that is complete in the recorded region. Metadata headers are skipped using their size
    // field (data rounded up to whole blocks); the walk stops at the first non-metadata header or at a zero block.
    private void WalkHeaders()
    {
        while (!_walkDone && _recordedBytes >= _nextHeaderAt + TarHeaderBlock.BlockSizeBytes)
        {
            int at = (int)_nextHeaderAt;
            ReadOnlySpan<byte> block = _buffer.AsSpan(at, TarHeaderBlock.BlockSizeBytes);
            long absolute = RecordStart + at;
            if (TarHeaderBlock.IsZeroBlock(block))
            {
                SawEndMarker = true;
                _walkDone = true;
                return;
            }

            if (!TarHeaderBlock.ChecksumMatches(block, out long stored))
            {
                throw new FootprintFormatException(_sourceName, absolute,
                    $"tar header checksum mismatch (stored {(stored < 0 ? "unparsable" : Convert.ToString(stored, 8))})");
            }

            byte typeFlag = block[TarHeaderBlock.TypeFlagOffset];
            if (!TarHeaderBlock.TryParseNumeric(block.Slice(TarHeaderBlock.SizeOffset, TarHeaderBlock.SizeLengthBytes), out long size))
            {
                throw new FootprintFormatException(_sourceName, absolute, "tar header has an invalid size field");
            }

            _headers.Add(new RecordedHeader(at, typeFlag, size));
            if (!TarHeaderBlock.IsMetadataType(typeFlag))
            {
                _walkDone = true;
                return;
            }

            if (size > MaxMetadataBytes)
            {
                throw new FootprintFormatException(_sourceName, absolute,
                    $"extended header '{(char)typeFlag}' of {size} bytes exceeds the limit of {MaxMetadataBytes} bytes");
            }

            _nextHeaderAt += TarHeaderBlock.BlockSizeBytes + size + TarHeaderBlock.PaddingBytes(size);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
