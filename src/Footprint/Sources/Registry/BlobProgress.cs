namespace Footprint.Sources.Registry;

/// <summary>Bytes of one blob received so far, out of the size its descriptor gives.</summary>
public sealed record BlobProgress(string Digest, long ReceivedBytes, long TotalBytes);
