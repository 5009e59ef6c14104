namespace Footprint.Measures.Kernel;

/// <summary>Where the built-in initramfs was found and what it is; its files are measured as the report's layer.</summary>
/// <param name="Offset">Offset in the decompressed kernel.</param>
/// <param name="StoredBytes">Bytes it occupies there.</param>
/// <param name="Compression">Its first segment's compression ("none" for a stored cpio).</param>
/// <param name="LocatedBy">symbols, or a scan of .init.data or of the image, possibly bounded by __initramfs_size.</param>
/// <param name="RecordedBytes">__initramfs_size, when found.</param>
/// <param name="DefaultStub">Only the kernel's default /dev, /dev/console, /root: no root filesystem of its own.</param>
public sealed record BuiltInInitramfsReport(long Offset, long StoredBytes, string Compression, string LocatedBy, long? RecordedBytes, bool DefaultStub);
