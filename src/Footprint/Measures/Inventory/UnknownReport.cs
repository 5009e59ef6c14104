namespace Footprint.Measures.Inventory;

public sealed record UnknownReport(string Path, int Line, string Reason);
