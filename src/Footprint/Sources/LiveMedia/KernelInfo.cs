namespace Footprint.Sources.LiveMedia;

/// <summary>The kernel found on the medium.</summary>
/// <param name="Path">Where it is in the medium.</param>
/// <param name="StoredBytes">Its size as stored (compressed bzImage or uImage).</param>
/// <param name="Version">The version string it carries, when found.</param>
/// <param name="InitSizeBytes">bzImage setup header init_size: the memory the kernel needs from its load address to run.</param>
public sealed record KernelInfo(string Path, long StoredBytes, string? Version, long? InitSizeBytes);
