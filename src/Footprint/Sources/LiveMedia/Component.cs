namespace Footprint.Sources.LiveMedia;

/// <summary>Where a component's bytes live once the system has booted (docs/live.md).</summary>
public enum Residency
{
    /// <summary>Unpacked into RAM (initramfs into rootfs/tmpfs, copy2fs extensions): the expanded bytes, in pages, are held.</summary>
    ExpandedInRam,

    /// <summary>The compressed image file is copied into RAM and mounted from there (toram, copy2ram, pfix=copy).</summary>
    CompressedInRam,

    /// <summary>Mounted from the boot medium or flash: read through the page cache, evictable, not held.</summary>
    OnMedia,
}

/// <summary>How a component is read.</summary>
public enum ComponentFormat
{
    /// <summary>Concatenated, separately compressed cpio archives, as the kernel unpacks them.</summary>
    Initramfs,
    Squashfs,

    /// <summary>A (possibly compressed) tar archive.</summary>
    Tar,

    /// <summary>The files of the container itself under a directory (Slax and Porteus rootcopy, a plain ISO's tree).</summary>
    ContainerTree,
}

/// <summary>
/// One piece of a composed system: a layer of the one layered view. <see cref="Path"/> is where it lies in the
/// artifact (a path in an ISO or FAT image, "@0x1234" for a carved firmware part, "" for the artifact itself).
/// </summary>
public sealed record Component
{
    public required int Layer { get; init; }

    public required string Path { get; init; }

    public required ComponentFormat Format { get; init; }

    /// <summary>What the distro calls it (base, extension, module, zdrv, rootcopy, rootfs, initrd...).</summary>
    public required string Role { get; init; }

    /// <summary>Bytes of the component as stored in the artifact (compressed).</summary>
    public required long StoredBytes { get; init; }

    /// <summary>Residency with the distro's default boot options.</summary>
    public required Residency Default { get; init; }

    /// <summary>Residency when everything is copied to RAM (toram / copy2fs / copy2ram / pfix=copy).</summary>
    public required Residency ToRam { get; init; }

    /// <summary>For <see cref="ComponentFormat.ContainerTree"/>: the directory of the container that becomes "/".</summary>
    public string TreeRoot { get; init; } = "";

    /// <summary>For carved parts: offset of the component in the artifact.</summary>
    public long? Offset { get; init; }
}

/// <summary>Bytes one component put into its layer, counted as its entries stream past.</summary>
public sealed class ComponentStats
{
    public long Files { get; set; }

    public long Entries { get; set; }

    /// <summary>Sum of regular-file sizes, hard links once.</summary>
    public long ApparentBytes { get; set; }

    /// <summary>Regular files rounded up to 4 KiB pages each: what tmpfs/ramfs holds for them.</summary>
    public long PageBytes { get; set; }

    /// <summary>squashfs: data bytes not stored again because identical files share their blocks.</summary>
    public long? DuplicateBytesSaved { get; set; }

    /// <summary>The format's own description of how it is compressed (gzip, xz, squashfs-xz...).</summary>
    public string? Compression { get; set; }
}
