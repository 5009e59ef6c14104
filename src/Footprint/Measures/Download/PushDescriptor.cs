namespace Footprint.Measures.Download;

/// <summary>An OCI content descriptor.</summary>
internal sealed record PushDescriptor(string MediaType, string Digest, long Size);
