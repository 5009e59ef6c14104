namespace Footprint.Analyzers.Surface;

public sealed record ImageSurfaceReport(string? User, bool RunsAsRoot, IReadOnlyList<string> ExposedPorts, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd);
