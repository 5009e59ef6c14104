namespace Footprint.Measures.RamResident;

public sealed record BootEntryReport(string Config, string? Label, string? Kernel, IReadOnlyList<string> Initrds, string? Append);
