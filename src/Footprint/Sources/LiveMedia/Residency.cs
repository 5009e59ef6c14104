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
