namespace Footprint.Formats.Compression;

/// <summary>
/// One read from a decompression library, with its exceptions for corrupt or truncated input turned into a
/// <see cref="FootprintFormatException"/> naming the compressed offset: what both guard streams (whole streams and
/// initramfs segments) need before they count the output against their limits.
/// </summary>
internal static class DecoderRead
{
    public static int Read(Stream decoder, Span<byte> buffer, string sourceName, ByteSource compressed, string kind, long outputSoFar)
    {
        try
        {
            return decoder.Read(buffer);
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new FootprintFormatException(sourceName, compressed.Consumed,
                $"corrupt or truncated {kind} data (after {outputSoFar} output bytes): {ex.Message}", ex);
        }
    }
}
