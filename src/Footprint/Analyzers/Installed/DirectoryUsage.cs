namespace Footprint.Analyzers.Installed;

public sealed record DirectoryUsage(string Path, long ApparentBytes, long OnDiskBytes, long Files);
