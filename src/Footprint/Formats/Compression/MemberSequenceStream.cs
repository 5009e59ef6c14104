using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Footprint.Formats.Compression;

/// <summary>
/// Decodes the gzip members, xz streams or bzip2 streams of one file in turn, as gzip -dc, xz -dc and bzip2 -dc do
/// (`cat a.gz b.gz`, pigz -i, pbzip2 and pixz output are all concatenations), and decides what the bytes after the
/// last one are. Each decoder stops exactly at its end: <see cref="GzipMemberStream"/> after the trailer it
/// verified; SharpCompress's XZStream after the stream footer (it checks every block's CRC32/CRC64/SHA-256 and the
/// footer CRC32, not the index CRC32, which covers sizes only and never the output); BZip2Stream after the
/// end-of-stream marker and the combined CRC (it checks each block's CRC and the combined CRC).
/// What follows the last member:
/// <list type="bullet">
/// <item>nothing, or only zero bytes up to the end: accepted silently. gzip does the same ("trailing zero bytes" are
/// tape or block padding; it only mentions them with -v), and xz calls zeros between and after streams stream
/// padding (xz file format §2.2).</item>
/// <item>xz only: zero bytes in a multiple of 4 followed by another stream: that stream is decoded too (§2.2).</item>
/// <item>anything else: a warning naming the offset of the first trailing byte, and the output ends there, as with
/// gzip ("decompression OK, trailing garbage ignored") and bzip2 ("trailing garbage after EOF ignored"). Bytes that
/// start with the format's magic are decoded as a member, so a damaged further member is an error.</item>
/// </list>
/// zstd is not decoded here: ZstdSharp decodes concatenated frames and skippable frames itself, and refuses trailing
/// bytes that are not a frame, as zstd -d does.
/// </summary>
internal sealed class MemberSequenceStream : ReadOnlyStream
{
    private const int ZeroScanBytes = 64 << 10;

    private readonly ByteSource _source;
    private readonly string _sourceName;
    private readonly CompressionKind _kind;
    private readonly Action<long, string>? _onWarning;
    private Stream? _member;
    private int _members;
    private bool _ended;

    public MemberSequenceStream(ByteSource source, string sourceName, CompressionKind kind, Action<long, string>? onWarning)
    {
        if (kind is not (CompressionKind.Gzip or CompressionKind.Xz or CompressionKind.Bzip2))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "gzip, xz or bzip2 only");
        }

        _source = source;
        _sourceName = sourceName;
        _kind = kind;
        _onWarning = onWarning;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_ended)
        {
            if (_member is null)
            {
                if (!NextMemberFollows())
                {
                    _ended = true;
                    break;
                }

                _member = OpenMember();
                _members++;
            }

            int n = _member.Read(buffer);
            if (n > 0)
            {
                return n;
            }

            _member.Dispose();
            _member = null;
        }

        return 0;
    }

    private Stream OpenMember() => _kind switch
    {
        CompressionKind.Gzip => new GzipMemberStream(_source, _sourceName),
        CompressionKind.Xz => new XZStream(new EndProbeStream(_source)),
        _ => BZip2Stream.Create(new EndProbeStream(_source), SharpCompressionMode.Decompress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false),
    };

    /// <summary>True when another member starts here; otherwise consumes or reports what is left.</summary>
    private bool NextMemberFollows()
    {
        if (_members == 0)
        {
            return true; // the caller detected the first member's magic
        }

        long trailingStart = _source.Consumed;
        if (_source.AtEnd)
        {
            return false;
        }

        long zeros = SkipZeros();
        if (_source.AtEnd)
        {
            return false;
        }

        bool magic = Decompression.Detect(_source.Peek(Decompression.MagicLengthBytes)) == _kind;
        if (magic && (zeros == 0 || (_kind == CompressionKind.Xz && zeros % 4 == 0)))
        {
            return true;
        }

        _onWarning?.Invoke(trailingStart,
            $"trailing data at offset {trailingStart} after the last {MemberName} is not {KindName} data and was ignored");
        return false;
    }

    /// <summary>Consumes zero bytes up to the first non-zero byte or the end, and counts them.</summary>
    private long SkipZeros()
    {
        long skipped = 0;
        while (true)
        {
            ReadOnlySpan<byte> chunk = _source.Peek(ZeroScanBytes);
            int zeros = chunk.IndexOfAnyExcept((byte)0);
            int run = zeros < 0 ? chunk.Length : zeros;
            _source.Skip(run);
            skipped += run;
            if (zeros >= 0 || chunk.IsEmpty)
            {
                return skipped;
            }
        }
    }

    private string MemberName => _kind == CompressionKind.Gzip ? "gzip member" : $"{KindName} stream";

    private string KindName => _kind switch
    {
        CompressionKind.Gzip => "gzip",
        CompressionKind.Xz => "xz",
        _ => "bzip2",
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
        }

        base.Dispose(disposing);
    }
}
