namespace Footprint.Formats.Kernel;

/// <summary>The initramfs built into a kernel image (CONFIG_INITRAMFS_SOURCE, or the default one every kernel with BLK_DEV_INITRD carries).</summary>
/// <param name="Offset">Where it starts in the decompressed kernel image.</param>
/// <param name="Bytes">Its bytes: from __initramfs_size when found, else the first archive's exact end.</param>
/// <param name="Compression">The first segment's compression ("none" for a stored cpio).</param>
/// <param name="LocatedBy">How it was found: "symbols", "size-trailer", "scan of .init.data" or "scan of the image".</param>
/// <param name="RecordedBytes">__initramfs_size as the image records it (the word at the next 8-byte boundary after the archive), when found.</param>
/// <param name="DefaultStub">
/// True when the archive is exactly the kernel's default (usr/default_cpio_list: /dev, /dev/console, /root): the image
/// carries no root filesystem of its own.
/// </param>
/// <param name="EntriesSeen">Entries of the first archive counted while checking it (at most <see cref="KernelImageReader.MaxStubCheckEntries"/>).</param>
public sealed record EmbeddedInitramfs(long Offset, byte[] Bytes, string Compression, string LocatedBy, long? RecordedBytes, bool DefaultStub, int EntriesSeen);
