namespace Footprint.Reports;

public sealed record WarningReport(string Code, string Message, string Source, string? Path, long? Offset);
