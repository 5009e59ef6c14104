namespace Footprint.Pipeline;

/// <summary>Progress of a load, for a progress bar: bytes of layer blobs read so far.</summary>
public sealed record LoadProgress(int LayerIndex, int LayerCount, long EntriesRead);
