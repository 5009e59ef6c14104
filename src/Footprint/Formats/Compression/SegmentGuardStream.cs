
namespace Footprint.Formats.Compression;

/// <summary>
/// Sits on one compressed segment's decompressor (an initramfs segment): counts the output, enforces
/// <see cref="DecompressionLimits"/> (total output over all segments, and this segment's ratio once past the grace
/// output) and turns the libraries' exceptions for corrupt or truncated input into <see cref="FootprintFormatException"/>
/// naming the compressed offset.
/// </summary>
internal sealed class SegmentGuardStream : ReadOnlyStream
{
    private readonly Stream _decoder;
    private readonly ByteSource _compressed;
    private readonly long _segmentOffset;
    private readonly string _sourceName;
    private readonly string _kind;
    private readonly DecompressionLimits _limits;
    private readonly Func<long, long> _addTotal;
    private readonly EndProbeStream _probe;
    private long _output;

    // addTotal adds output bytes to the reader's total over all segments and returns the new total.
    public SegmentGuardStream(Stream decoder, ByteSource compressed, long segmentOffset, string sourceName, string kind, DecompressionLimits limits, Func<long, long> addTotal, EndProbeStream probe)
    {
        _decoder = decoder;
        _compressed = compressed;
        _segmentOffset = segmentOffset;
        _sourceName = sourceName;
        _kind = kind;
        _limits = limits;
        _addTotal = addTotal;
        _probe = probe;
    }

    public override long Position
    {
        get => _output;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = DecoderRead.Read(_decoder, buffer, _sourceName, _compressed, _kind, _output);

        if (n == 0 && _probe.ReadPastEnd && !buffer.IsEmpty)
        {
            throw new FootprintFormatException(_sourceName, _compressed.Consumed, $"{_kind} data is truncated (input ends before the end of the compressed stream)");
        }

        _output += n;
        long total = _addTotal(n);
        if (total > _limits.MaxOutputBytes)
        {
            throw new FootprintFormatException(_sourceName, _compressed.Consumed,
                $"decompression bomb: output exceeds the limit of {_limits.MaxOutputBytes} bytes");
        }

        if (_output > _limits.RatioGraceBytes)
        {
            long input = Math.Max(1, _compressed.Consumed - _segmentOffset);
            double ratio = (double)_output / input;
            if (ratio > _limits.MaxRatio)
            {
                throw new FootprintFormatException(_sourceName, _compressed.Consumed,
                    $"decompression bomb: {_output} bytes from {input} compressed {_kind} bytes, ratio {ratio:F0} exceeds limit {_limits.MaxRatio}");
            }
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _decoder is not SharpCompress.Compressors.Xz.XZStream)
        {
            _decoder.Dispose(); // every decoder here is built with leaveOpen; XZStream has no such option
        }

        base.Dispose(disposing);
    }
}
