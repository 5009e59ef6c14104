namespace Footprint.Store;

/// <summary>
/// The gzip size a registry push of an uncompressed layer would produce: exact with its digest, or estimated from
/// samples with its error bound (as Sources.Image.PushSize, which this side room cannot name).
/// </summary>
public sealed record PushSize(long Bytes, string? Digest, bool Estimated, long ErrorBoundBytes, long SampledBytes);
