using System.Text;

namespace Footprint.Formats.Tar;

/// <summary>
/// A forward-only stream between <see cref="TarArchiveReader"/> and the BCL <see cref="System.Formats.Tar.TarReader"/>.
/// While recording (one BCL <c>GetNextEntry</c> call) it reads the archive itself, a block or a whole extended-header
/// data area at a time, and keeps those bytes: the previous entry's padding, the extended headers (PAX 'x'/'g',
/// GNU 'L'/'K') with their data, then the entry's own header. Each header block is checksum-verified before the BCL
/// reader sees it, so a forged size field in a metadata header is rejected before anything is allocated for it.
/// Because the bytes pass through here first, two things the BCL reader rejects are rewritten on the way:
/// the old GNU sparse typeflag 'S' is presented as a regular file '0' (we parse the sparse map ourselves), and
/// repeated PAX keywords (legal per POSIX, used by GNU sparse 0.0) are renamed to unique placeholders; the original
/// bytes are kept in <see cref="Headers"/> and <see cref="PaxRecords"/>.
/// It reports <see cref="CanSeek"/> false on purpose: that keeps the BCL reader on its streaming path.
/// </summary>
internal sealed class TarHeaderRecorder : ReadOnlyStream
{
    /// <summary>Largest data area accepted for one PAX or GNU long-name header (POSIX sets no limit; real ones are a few KiB).</summary>
    public const int MaxMetadataBytes = 1 << 20;

    /// <summary>Cap on everything recorded in one call: padding, several metadata headers and the main header.</summary>
    private const int MaxRecordedBytes = MaxMetadataBytes + (64 << 10);
    private const int InitialBufferBytes = 16 << 10;
    private const int BlockBytes = TarHeaderBlock.BlockSizeBytes;

    private readonly Stream _inner;
    private readonly string _sourceName;
    private readonly bool _leaveOpen;
    private readonly List<RecordedHeader> _headers = [];
    private readonly List<KeyValuePair<string, byte[]>> _paxRecords = [];
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _recordedBytes;
    private int _servedBytes;
    private bool _recording;
    private long _nextHeaderAt;
    private (int Start, int Length)? _pendingPaxData;
    private bool _walkDone;
    private bool _innerEnded;
    private long _position;
    private int _renamedRecords;

    public TarHeaderRecorder(Stream inner, string sourceName, bool leaveOpen)
    {
        _inner = inner;
        _sourceName = sourceName;
        _leaveOpen = leaveOpen;
    }

    /// <summary>One header block seen while recording (typeflag as in the archive); offsets are relative to <see cref="RecordStart"/>.</summary>
    public readonly record struct RecordedHeader(int BlockOffset, byte TypeFlag, long DataSizeBytes);

    /// <summary>Absolute stream offset of the first recorded byte.</summary>
    public long RecordStart { get; private set; }

    public IReadOnlyList<RecordedHeader> Headers => _headers;

    /// <summary>Records of the PAX 'x' headers seen while recording, in order, with raw values and duplicates.</summary>
    public List<KeyValuePair<string, byte[]>> PaxRecords => _paxRecords;

    /// <summary>The recorded bytes as read from the archive, except for the rewrites described on the class.</summary>
    public ReadOnlySpan<byte> Recorded => _buffer.AsSpan(0, _recordedBytes);

    /// <summary>False, as the base class says, but on purpose here: see the class remarks.</summary>
    public override bool CanSeek => false;

    /// <summary>Bytes handed to the reader so far (read-ahead not yet served is not counted).</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public void BeginRecording()
    {
        // Bytes read ahead but not yet served stay at the front of the new record.
        int pending = _recordedBytes - _servedBytes;
        if (pending > 0)
        {
            Buffer.BlockCopy(_buffer, _servedBytes, _buffer, 0, pending);
        }

        _recordedBytes = pending;
        _servedBytes = 0;
        _recording = true;
        _headers.Clear();
        _paxRecords.Clear();
        _pendingPaxData = null;
        RecordStart = _position;

        // Headers start on block boundaries of the archive, whatever padding the BCL reader skips first.
        _nextHeaderAt = TarHeaderBlock.PaddingBytes(_position);
        _walkDone = false;
        WalkHeaders();
    }

    public void EndRecording() => _recording = false;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_servedBytes == _recordedBytes)
        {
            if (!_recording)
            {
                _recordedBytes = 0;
                _servedBytes = 0;
                int direct = _inner.Read(buffer);
                _position += direct;
                return direct;
            }

            Fill();
            if (_servedBytes == _recordedBytes)
            {
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _recordedBytes - _servedBytes);
        _buffer.AsSpan(_servedBytes, n).CopyTo(buffer);
        _servedBytes += n;
        _position += n;
        return n;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    // Reads ahead to the end of the region being walked: the padding before the first header, a whole header block,
    // or a metadata header's whole data area (bounded by MaxMetadataBytes, checked before we get here), so that each
    // piece is verified or rewritten before any of it is served.
    private void Fill()
    {
        if (_innerEnded)
        {
            return;
        }

        long target;
        if (_walkDone)
        {
            long absolute = RecordStart + _recordedBytes;
            target = _recordedBytes + (TarHeaderBlock.PaddingBytes(absolute) is var p && p > 0 ? p : BlockBytes);
        }
        else
        {
            target = _recordedBytes < _nextHeaderAt ? _nextHeaderAt : _nextHeaderAt + BlockBytes;
        }

        int want = (int)(target - _recordedBytes);
        if (_recordedBytes + want > MaxRecordedBytes)
        {
            throw new FootprintFormatException(_sourceName, RecordStart, $"extended headers exceed {MaxRecordedBytes} bytes");
        }

        if (_recordedBytes + want > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(MaxRecordedBytes, Math.Max(_buffer.Length * 2, _recordedBytes + want)));
        }

        int got = _inner.ReadAtLeast(_buffer.AsSpan(_recordedBytes, want), want, throwOnEndOfStream: false);
        _innerEnded = got < want;
        _recordedBytes += got;
        WalkHeaders();
    }

    private void WalkHeaders()
    {
        while (!_walkDone)
        {
            if (_pendingPaxData is { } pax)
            {
                if (_recordedBytes < pax.Start + pax.Length)
                {
                    return;
                }

                ProcessPaxData(pax.Start, pax.Length);
                _pendingPaxData = null;
            }

            if (_recordedBytes < _nextHeaderAt + BlockBytes)
            {
                return;
            }

            WalkOneHeader((int)_nextHeaderAt);
        }
    }

    private void WalkOneHeader(int at)
    {
        Span<byte> block = _buffer.AsSpan(at, BlockBytes);
        long absolute = RecordStart + at;
        if (TarHeaderBlock.IsZeroBlock(block))
        {
            _walkDone = true; // end-of-archive marker
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
            if (typeFlag == TarHeaderBlock.TypeGnuSparse)
            {
                // The BCL reader throws NotSupportedException for 'S'; it can read the header as a regular file, and
                // TarArchiveReader reads the sparse map from the recorded block and the extension blocks itself.
                block[TarHeaderBlock.TypeFlagOffset] = (byte)'0';
            }

            _walkDone = true;
            return;
        }

        if (size > MaxMetadataBytes)
        {
            throw new FootprintFormatException(_sourceName, absolute,
                $"extended header '{(char)typeFlag}' of {size} bytes exceeds the limit of {MaxMetadataBytes} bytes");
        }

        if (typeFlag == TarHeaderBlock.TypePaxExtended)
        {
            _pendingPaxData = (at + BlockBytes, (int)size);
        }

        _nextHeaderAt += BlockBytes + size + TarHeaderBlock.PaddingBytes(size);
    }

    // Keeps the original records, then renames every keyword that occurs more than once so the BCL reader, which
    // rejects duplicates, accepts the header. POSIX pax says a later record overrides an earlier one; GNU sparse 0.0
    // relies on repeating GNU.sparse.offset / GNU.sparse.numbytes. Renaming keeps each record's length, so the
    // record framing stays valid.
    private void ProcessPaxData(int start, int length)
    {
        Span<byte> data = _buffer.AsSpan(start, length);
        List<KeyValuePair<string, byte[]>> records = Tar.PaxRecords.Parse(data, _sourceName, RecordStart + start);
        _paxRecords.AddRange(records);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, byte[]> r in records)
        {
            counts[r.Key] = counts.GetValueOrDefault(r.Key) + 1;
        }

        if (!counts.Values.Any(c => c > 1))
        {
            return;
        }

        int pos = 0;
        while (pos < data.Length && data[pos] != 0)
        {
            int space = data[pos..].IndexOf((byte)' ');
            int recordLength = int.Parse(Encoding.ASCII.GetString(data.Slice(pos, space)), System.Globalization.CultureInfo.InvariantCulture);
            Span<byte> keyValue = data.Slice(pos + space + 1, recordLength - space - 2);
            int eq = keyValue.IndexOf((byte)'=');
            string key = Encoding.UTF8.GetString(keyValue[..eq]);
            if (counts[key] > 1)
            {
                string placeholder = "_" + (_renamedRecords++).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (placeholder.Length + 2 > keyValue.Length)
                {
                    throw new FootprintFormatException(_sourceName, RecordStart + start + pos, $"repeated PAX keyword '{key}' in a record too short to handle");
                }

                keyValue.Fill((byte)'_');
                Encoding.ASCII.GetBytes(placeholder).CopyTo(keyValue);
                keyValue[^2] = (byte)'=';
                keyValue[^1] = (byte)'0';
            }

            pos += recordLength;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
