namespace Footprint.Measures.Download;

public sealed record HaveReport(string Other, long BytesToPull, int SharedLayers, long SharedBytes, IReadOnlyList<int> LayersToPull);
