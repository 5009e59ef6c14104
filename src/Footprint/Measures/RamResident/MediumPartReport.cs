namespace Footprint.Measures.RamResident;

public sealed record MediumPartReport(string Type, long Offset, long Length, string Description);
