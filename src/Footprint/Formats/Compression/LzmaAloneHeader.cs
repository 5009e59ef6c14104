namespace Footprint.Formats.Compression;

/// <summary>The 13-byte header of an lzma-alone (.lzma) stream (LZMA SDK lzma.txt).</summary>
/// <param name="Properties">lc + lp*9 + pb*45.</param>
/// <param name="DictionaryBytes">The dictionary size the decoder allocates.</param>
/// <param name="UncompressedBytes">The stated output size; null when unknown (all ones).</param>
public sealed record LzmaAloneHeader(byte Properties, uint DictionaryBytes, ulong? UncompressedBytes)
{
    /// <summary>Literal context bits.</summary>
    public int Lc => Properties % 9;

    /// <summary>Literal position bits.</summary>
    public int Lp => Properties / 9 % 5;

    /// <summary>Position bits.</summary>
    public int Pb => Properties / 45;
}
