namespace Footprint.Measures.Integrity;

/// <summary>
/// True when every layer of an image was checked against the digests its artifact names while it was read, false
/// when some were not (a warning says why), null when the artifact names no digests to check.
/// </summary>
public sealed record LayerVerificationResult(bool? Verified);
