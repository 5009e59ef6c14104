namespace Footprint.Formats.Compression;

/// <summary>
/// Guards against decompression bombs. The ratio check starts only after <see cref="RatioGraceBytes"/> of output,
/// because small highly compressible inputs (an empty tar is 10 KiB of zeros) legitimately have huge ratios.
/// </summary>
public sealed record DecompressionLimits
{
    /// <summary>Largest accepted decompressed/compressed byte ratio once past the grace output.</summary>
    public double MaxRatio { get; init; } = 250;

    /// <summary>Output bytes produced before the ratio is enforced.</summary>
    public long RatioGraceBytes { get; init; } = 64L << 20;

    /// <summary>Absolute cap on decompressed bytes.</summary>
    public long MaxOutputBytes { get; init; } = 256L << 30;

    public static DecompressionLimits Default { get; } = new();
}
