namespace Footprint.Measures.RamResident;

/// <param name="Path">Where the kernel is in the artifact.</param>
/// <param name="StoredBytes">Its size as stored.</param>
/// <param name="Version">Version string it carries.</param>
/// <param name="InitSizeBytes">bzImage init_size: memory the kernel needs from its load address.</param>
public sealed record KernelReport(string Path, long StoredBytes, string? Version, long? InitSizeBytes);
