namespace Footprint.Reports;

public sealed record ConfigReport(string? Os, string? Architecture, string? Variant, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd,
    string? User, string? WorkingDir, IReadOnlyList<string> ExposedPorts, string? Created);
