namespace Footprint.Reports;

public sealed record ToolInfo(string Name, string Version);
