
namespace Footprint.Formats.Compression;

/// <summary>
/// Sits on top of a decompressor: counts output, enforces <see cref="DecompressionLimits"/>, and turns the
/// decompression libraries' exceptions for corrupt or truncated input into <see cref="FootprintFormatException"/>
/// naming the compressed offset.
/// </summary>
internal sealed class DecompressionGuardStream : ReadOnlyStream
{
    private readonly Stream _decompressor;
    private readonly ByteSource _compressed;
    private readonly string _sourceName;
    private readonly CompressionKind _kind;
    private readonly DecompressionLimits _limits;
    private long _output;

    public DecompressionGuardStream(Stream decompressor, ByteSource compressed, string sourceName, CompressionKind kind, DecompressionLimits limits)
    {
        _decompressor = decompressor;
        _compressed = compressed;
        _sourceName = sourceName;
        _kind = kind;
        _limits = limits;
    }

    public override long Position
    {
        get => _output;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = DecoderRead.Read(_decompressor, buffer, _sourceName, _compressed, _kind.ToString(), _output);

        _output += n;
        CheckLimits();
        return n;
    }

    private void CheckLimits()
    {
        if (_output > _limits.MaxOutputBytes)
        {
            throw new FootprintFormatException(_sourceName, _output,
                $"decompression bomb: output exceeds the limit of {_limits.MaxOutputBytes} bytes");
        }

        if (_output > _limits.RatioGraceBytes)
        {
            double ratio = (double)_output / Math.Max(1, _compressed.Consumed);
            if (ratio > _limits.MaxRatio)
            {
                throw new FootprintFormatException(_sourceName, _output,
                    $"decompression bomb: {_output} bytes from {_compressed.Consumed} compressed, ratio {ratio:F0} exceeds limit {_limits.MaxRatio}");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decompressor.Dispose();
            _compressed.Dispose();
        }

        base.Dispose(disposing);
    }
}
