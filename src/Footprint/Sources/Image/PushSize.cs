namespace Footprint.Sources.Image;

/// <summary>
/// The size of the gzip stream a registry push of an uncompressed layer would upload.
/// </summary>
/// <param name="Bytes">Gzip bytes: computed over every byte, or estimated from samples (<paramref name="Estimated"/>).</param>
/// <param name="Digest">sha256 of the computed gzip stream; null for an estimate (no stream was made).</param>
/// <param name="Estimated">True when only evenly spaced samples of the layer were compressed.</param>
/// <param name="ErrorBoundBytes">
/// For an estimate: how far a `gzip -6` of the whole layer may lie from <paramref name="Bytes"/> (3 standard errors of
/// the sample ratio plus the spread between gzip implementations at level 6); 0 when every byte was compressed.
/// </param>
/// <param name="SampledBytes">Uncompressed bytes that were compressed to make the figure (the whole layer when exact).</param>
public sealed record PushSize(long Bytes, string? Digest, bool Estimated, long ErrorBoundBytes, long SampledBytes);
