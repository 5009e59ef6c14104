namespace Footprint.Walk;

/// <summary>Where a fact came from.</summary>
/// <param name="Path">Path inside the artifact (or blob name).</param>
/// <param name="Layer">Layer index, when the fact comes from one layer.</param>
/// <param name="Detail">What was read there.</param>
public sealed record Evidence(string Path, int? Layer, string Detail);
