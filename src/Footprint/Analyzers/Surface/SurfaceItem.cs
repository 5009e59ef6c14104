namespace Footprint.Analyzers.Surface;

/// <summary>One finding: its name, the file that shows it, the layer that wrote that file, and why it counts.</summary>
public sealed record SurfaceItem(string Name, string Path, int? Layer, string Why);
