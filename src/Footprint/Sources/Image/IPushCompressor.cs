namespace Footprint.Sources.Image;

/// <summary>
/// What <see cref="PushSizeStream"/> feeds with the layer's bytes as they stream past: every byte, in order, once.
/// </summary>
internal interface IPushCompressor : IDisposable
{
    /// <summary>The next bytes of the layer; <paramref name="position"/> is the offset of their first byte in the layer.</summary>
    void Accept(ReadOnlySpan<byte> bytes, long position);

    /// <summary>Called once, after the last byte: waits for the compression still running and returns the figure.</summary>
    PushSize Complete(long totalBytes);
}
