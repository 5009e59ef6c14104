namespace Footprint.Analyzers.Installed;

public sealed record FileUsage(string Path, long Bytes, int Layer);
